import { splitLinks } from './split-links.ts'

/**
 * A message's text as elements: plain text nodes, http(s) links that open in a new tab without
 * access to this page, and @mentions (one's own stands out). Never HTML.
 */
export const MessageText = ({ text, myName, linkTabIndex }: { text: string, myName: string | null, linkTabIndex?: number | undefined }) => (
  <>
    {splitLinks(text).map((segment, index) => {
      switch (segment.kind) {
        case 'link':
          return <a key={index} href={segment.href} tabIndex={linkTabIndex} target='_blank' rel='noopener noreferrer' class='message-link'>{segment.text}</a>
        case 'mention':
          return (
            <span key={index} class='mention' data-me={myName !== null && segment.username.toLowerCase() === myName.toLowerCase() ? '' : undefined}>
              {segment.text}
            </span>
          )
        default:
          return segment.text
      }
    })}
  </>
)
