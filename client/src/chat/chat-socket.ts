import { Namespaces } from '../../../shared/protocol.ts'
import { socketFor } from '../realtime/connection.ts'

/**
 * The `/chat` socket, owned by the chat feature. For now the shell only opens it, so the
 * connection indicator reflects a real authenticated namespace; it becomes typed with the
 * chat event maps once `shared/chat.ts` lands.
 */
export const chatSocket = () => socketFor(Namespaces.chat)
