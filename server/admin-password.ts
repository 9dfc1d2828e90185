/**
 * `npm run admin:password`: reads a password and prints its bcrypt hash, the value of
 * ADMIN_UI_PASSWORD_HASH (docs/operations.md). On a terminal it asks twice without echo;
 * otherwise it reads the password from stdin (`printf %s "$PW" | npm run -s admin:password`).
 */
import { hash, truncates } from 'bcryptjs'

/** bcrypt's cost: 2^12 rounds, about half a second of CPU in pure JS, paid on each sign-in. */
const COST = 12

function fail (message: string): never {
  process.stderr.write(`${message}\n`)
  process.exit(1)
}

/** One line typed on the terminal, not echoed; Ctrl-C or Ctrl-D gives up. */
function ask (question: string) {
  const { stdin, stderr } = process
  stderr.write(question)
  stdin.setRawMode(true)
  stdin.setEncoding('utf8')
  stdin.resume()
  return new Promise<string>((resolve) => {
    let typed = ''
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\u0003' || char === '\u0004') {
          stdin.setRawMode(false)
          fail('\nNo password given.')
        }
        if (char === '\r' || char === '\n') {
          stdin.off('data', onData)
          stdin.setRawMode(false)
          stdin.pause()
          stderr.write('\n')
          return resolve(typed)
        }
        typed = char === '\u007f' || char === '\b' ? typed.slice(0, -1) : typed + char
      }
    }
    stdin.on('data', onData)
  })
}

async function readStdin () {
  let text = ''
  for await (const chunk of process.stdin) text += chunk
  // What `echo` and a here-string add is not part of the password.
  return text.replace(/\r?\n$/, '')
}

let password: string
if (process.stdin.isTTY) {
  password = await ask('Admin UI password: ')
  if (password !== await ask('Again: ')) fail('The two passwords differ.')
} else {
  password = await readStdin()
}
if (password === '') fail('No password given.')
// bcrypt reads 72 bytes at most: anything after them would be ignored at sign-in.
if (truncates(password)) fail('The password is longer than bcrypt reads (72 bytes); choose a shorter one.')
process.stdout.write(`${await hash(password, COST)}\n`)
