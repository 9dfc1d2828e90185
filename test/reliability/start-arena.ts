import { join } from 'node:path'
import { Writable } from 'node:stream'
import type { Budget } from '../../shared/limits.ts'
import type { AppOverrides } from '../../server/app.ts'
import { Namespaces } from '../../shared/protocol.ts'
import { MAX_PENDING_ALERTS } from '../../shared/ticker.ts'
import { startApp } from '../helpers/app.ts'
import { registerUser } from '../helpers/http.ts'

/** A budget no test here reaches. (Finite: the token bucket's arithmetic has no room for Infinity.) */
export const unlimited: Budget = { burst: 1e9, perSecond: 1e9 }

/**
 * Budgets far above anything the corpus or the fuzz sends. They test which answer each bad frame
 * gets, not the command budget: with the default budgets most of their frames would be answered
 * `rate_limited` and the attacker disconnected (one test in hostile-frames.test.ts shows exactly
 * that, with the default limits).
 */
export const roomyLimits: AppOverrides['limits'] = {
  commandsPerSocket: unlimited,
  commandsPerUser: unlimited,
  commandsPerAddress: unlimited,
  refusalsPerSocket: unlimited,
  chatSend: unlimited,
  chatReact: unlimited
}

/** A price no simulated symbol reaches, so alerts at it stay pending for the whole test. */
export const UNREACHABLE_PRICE = 999_000_000

/** The path of one of the three namespaces: where a corpus entry or fuzz frame goes. */
export type NamespacePath = typeof Namespaces[keyof typeof Namespaces]

export interface ArenaOptions {
  limits?: AppOverrides['limits']
  /** How many pending alerts the attacker starts with (MAX_PENDING_ALERTS: every create is a `conflict`). */
  attackerAlerts?: number
}

/**
 * A real server (startApp) with a captured pino log and four users:
 * - `mallory`, the attacker, who sends every hostile frame;
 * - `alice` and `bob`, legitimate users chatting in the public room `arena` (mallory is in it too);
 * - `carol`, the victim, with a private room, a message, notifications and an alert of her own,
 *   whose ids mallory uses to try what she may not.
 */
export async function startArena ({ limits, attackerAlerts = MAX_PENDING_ALERTS }: ArenaOptions = {}) {
  const logLines: { level: number, msg: string, [key: string]: unknown }[] = []
  const stream = new Writable({
    write (chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line))
      done()
    }
  })
  const t = await startApp({ logger: { level: 'info', stream }, ...(limits && { limits }) })
  try {
    const [mallory, alice, bob, carol] = await Promise.all([registerUser(t.url, 'mallory'), registerUser(t.url, 'alice'), registerUser(t.url, 'bob'), registerUser(t.url, 'carol')])
    const { chat, notifications, ticker, storage } = t.app
    const symbols = ticker.symbols()
    let clientIds = 0
    const say = async (who: typeof alice, roomId: string, text: string) =>
      chat.send({ user: who.user }, { roomId, text, clientId: `setup-${++clientIds}` })

    const arena = await chat.createRoom(alice.user, { name: 'arena', visibility: 'public' })
    const carolRoom = await chat.createRoom(carol.user, { name: 'carol private', visibility: 'private' })
    const direct = await chat.openDirect(alice.user, bob.user.username)
    for (const who of [bob, mallory]) await storage.chat.addMember(arena.id, who.user.id, Date.now())

    const carolMessage = await say(carol, carolRoom.id, 'a secret of carol')
    const aliceMessage = await say(alice, arena.id, 'hello from alice')
    const directMessage = await say(alice, direct.id, 'just between alice and bob')
    const malloryMessages = [await say(mallory, arena.id, 'mallory one'), await say(mallory, arena.id, 'mallory two')]
    const malloryDeleted = await say(mallory, arena.id, 'mallory deleted')
    await chat.delete({ user: mallory.user }, { messageId: malloryDeleted.id })

    const notify = (who: typeof alice, title: string) => notifications.notify([who.user.id], { kind: 'system', title })
    for (const title of ['carol one', 'carol two']) await notify(carol, title)
    for (const title of ['mallory one', 'mallory two', 'mallory three']) await notify(mallory, title)
    const notificationIds = async (who: typeof alice) => (await storage.notifications.list(who.user.id, undefined, 100)).notifications.map((n) => n.id)

    const alert = (who: typeof alice) => ticker.createAlert(who.user, { symbol: symbols[0]!, direction: 'above', price: UNREACHABLE_PRICE })
    const carolAlert = await alert(carol)
    const malloryAlerts = []
    for (let i = 0; i < attackerAlerts; i++) malloryAlerts.push(await alert(mallory))

    return {
      t,
      url: t.url,
      dbFile: join(t.dir, 'hubbub.db'),
      logLines,
      users: { mallory, alice, bob, carol },
      symbols,
      rooms: { arena: arena.id, carol: carolRoom.id, direct: direct.id },
      messages: { carol: carolMessage.id, alice: aliceMessage.id, direct: directMessage.id, mallory: malloryMessages.map((m) => m.id), malloryDeleted: malloryDeleted.id },
      notifications: { carol: await notificationIds(carol), mallory: await notificationIds(mallory) },
      alerts: { carol: carolAlert.id, mallory: malloryAlerts.map((a) => a.id) },
      /** Log lines at error level or above (a handler that failed, a leave that threw, ...). */
      errorLogs: () => logLines.filter((line) => line.level >= 50),
      close: () => t.close()
    }
  } catch (error) {
    await t.close()
    throw error
  }
}

export type Arena = Awaited<ReturnType<typeof startArena>>
