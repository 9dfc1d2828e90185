/**
 * Generated parts of hand-written Markdown, between `<!-- generated:NAME -->` and
 * `<!-- /generated:NAME -->`, so a table in a README is rendered from code and cannot drift. Pure.
 */

const markers = (name: string, command = 'npm run docs') => [`<!-- generated:${name} (${command}) -->`, `<!-- /generated:${name} -->`] as const

/** The text between the markers, or null when the document has no such section. */
export function readGeneratedSection (document: string, name: string) {
  const [start, end] = markers(name)
  const from = document.indexOf(start)
  const to = document.indexOf(end, from)
  if (from === -1 || to === -1) return null
  return document.slice(from + start.length, to).replace(/^\n/, '').replace(/\n$/, '')
}

/** The document with the section's content replaced; throws when the markers are missing. */
export function replaceGeneratedSection (document: string, name: string, content: string, command?: string) {
  const [start, end] = markers(name, command)
  const from = document.indexOf(start)
  const to = document.indexOf(end, from)
  if (from === -1 || to === -1) throw new Error(`no "${start}" ... "${end}" section`)
  return `${document.slice(0, from + start.length)}\n${content}\n${document.slice(to)}`
}

/** An empty section, to paste into a document that should carry one. */
export const emptyGeneratedSection = (name: string) => markers(name).join('\n')
