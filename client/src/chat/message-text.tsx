import { renderMessage } from './format/render-message.ts'

/** A message's text, formatted (format/): elements from a parsed tree, never HTML. */
export const MessageText = ({ text, myName, linkTabIndex }: { text: string, myName: string | null, linkTabIndex?: number | undefined }) => (
  <>{renderMessage(text, myName, linkTabIndex)}</>
)
