/**
 * One progress line on stderr, rewritten in place on a terminal (printed every few seconds
 * otherwise), and log lines that do not tangle with it.
 */
export function createProgress (stream: NodeJS.WriteStream = process.stderr) {
  const tty = stream.isTTY === true
  let shown = ''
  let lastPrinted = 0
  const clear = () => { if (tty && shown) stream.write('\r\x1b[K') }
  return {
    update (text: string) {
      if (tty) {
        const width = (stream.columns || 120) - 1
        shown = text.length > width ? text.slice(0, width) : text
        stream.write(`\r\x1b[K${shown}`)
      } else if (Date.now() - lastPrinted > 5000) {
        lastPrinted = Date.now()
        stream.write(`${text}\n`)
      }
    },
    log (line: string) {
      clear()
      stream.write(`${line}\n`)
      if (tty && shown) stream.write(shown)
    },
    done () {
      clear()
      shown = ''
    }
  }
}

export type Progress = ReturnType<typeof createProgress>
