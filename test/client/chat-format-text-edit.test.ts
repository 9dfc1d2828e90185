import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { replaceRange, toggleMarker, type TextEdit } from '../../client/src/chat/format/text-edit.ts'

/** The edit written with the selection in brackets, e.g. `say [**hi**] now`. */
const show = ({ text, start, end }: TextEdit) => `${text.slice(0, start)}[${text.slice(start, end)}]${text.slice(end)}`
/** Applies toggleMarker to a text whose selection is written in brackets. */
const toggle = (marked: string, marker: string) => {
  const start = marked.indexOf('[')
  const end = marked.indexOf(']') - 1
  return show(toggleMarker(marked.replace('[', '').replace(']', ''), start, end, marker))
}

describe('toggleMarker', () => {
  it('wraps the selection and keeps it selected', () => {
    assert.equal(toggle('say [hi] now', '**'), 'say **[hi]** now')
    assert.equal(toggle('say [hi] now', '_'), 'say _[hi]_ now')
    assert.equal(toggle('[x]', '`'), '`[x]`')
  })

  it('leaves white space at the edges of the selection outside the markers', () => {
    assert.equal(toggle('say[ hi ]now', '**'), 'say **[hi]** now')
  })

  it('unwraps when the markers are just outside the selection or at its ends', () => {
    assert.equal(toggle('say **[hi]** now', '**'), 'say [hi] now')
    assert.equal(toggle('say [**hi**] now', '**'), 'say [hi] now')
  })

  it('puts a pair of markers around the caret when nothing is selected', () => {
    assert.equal(toggle('say [] now', '**'), 'say **[]** now')
    assert.equal(toggle('say **[]** now', '**'), 'say [] now')
  })

  it('makes a code block of code over several lines', () => {
    assert.equal(toggle('see:\n[a\nb]', '`'), 'see:\n```\n[a\nb]\n```')
    assert.equal(toggle('x [a\nb] y', '`'), 'x \n```\n[a\nb]\n```\n y')
  })
})

describe('replaceRange', () => {
  it('inserts in place of the selection, the caret after it', () => {
    assert.equal(show(replaceRange('hi :smi there', 3, 7, '😄')), 'hi 😄[] there')
  })
})
