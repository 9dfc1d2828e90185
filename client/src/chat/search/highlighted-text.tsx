import { searchSnippet } from './search-snippet.ts'

/** A message's text with the query's matches in <mark>: text nodes only, never HTML. */
export const HighlightedText = ({ text, terms, maxLength }: { text: string, terms: readonly string[], maxLength?: number }) => (
  <>
    {searchSnippet(text, terms, maxLength).map((segment, index) => segment.match
      ? <mark key={index} class='search-mark'>{segment.text}</mark>
      : segment.text)}
  </>
)
