import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Compile } from 'typebox/compile'
import { MESSAGE_MAX_LENGTH, MessageTextSchema, RoomNameSchema, TopicSchema } from '../../shared/chat.ts'
import { measureMessage, validateRoomName, validateTopic } from '../../client/src/chat/room-rules.ts'

describe('room and message rules', () => {
  it('agree with the shared schemas the server validates with (on the trimmed value the client sends)', () => {
    const name = Compile(RoomNameSchema)
    const topic = Compile(TopicSchema)
    for (const value of ['', 'a', 'ab', ' ab ', 'book club', 'x'.repeat(40), 'x'.repeat(41), '  padded name  ', '🎉🎉', '\u200b\u200b', 'a\ud800b', 'two\nlines']) {
      assert.equal(validateRoomName(value) === null, name.Check(value.trim()), `name ${JSON.stringify(value)}`)
    }
    for (const value of ['', 'About books', 't'.repeat(200), 't'.repeat(201), 'broken \udc00']) {
      assert.equal(validateTopic(value) === null, topic.Check(value.trim()), `topic of ${value.length}`)
    }
  })

  it('measure a message the way the server does, counting code points after trimming', () => {
    const text = Compile(MessageTextSchema)
    for (const value of ['hi', '   ', '  hello  ', 'x'.repeat(MESSAGE_MAX_LENGTH), 'x'.repeat(MESSAGE_MAX_LENGTH + 1), '😀'.repeat(MESSAGE_MAX_LENGTH), '\u200b', ' \u2060\u3164 ', 'a\ud800b']) {
      const measured = measureMessage(value)
      assert.equal(measured.canSend, text.Check(measured.text), `${value.length} UTF-16 units`)
    }
    assert.equal(measureMessage('  hello \n').text, 'hello')
    assert.equal(measureMessage('short').showCounter, false)
    assert.equal(measureMessage('x'.repeat(MESSAGE_MAX_LENGTH - 10)).remaining, 10)
    assert.equal(measureMessage('x'.repeat(MESSAGE_MAX_LENGTH - 10)).showCounter, true)
  })
})
