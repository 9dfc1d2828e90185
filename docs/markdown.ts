/** Markdown helpers for the generated docs. Pure. */

/** Prose from code (summaries, descriptions): `<` and `>` outside code spans are escaped, so `<file>` is not read as HTML. */
export const prose = (text: string) =>
  text.split('`').map((part, i) => (i % 2 === 1 ? part : part.replaceAll('<', '&lt;').replaceAll('>', '&gt;'))).join('`')

/** Prose inside a table cell: also no `|` and no line breaks. */
export const cell = (text: string) => prose(text).replaceAll('|', '\\|').replaceAll('\n', ' ')
