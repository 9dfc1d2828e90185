import neostandard from 'neostandard'

// Folder boundaries from STYLE.md: shared/ is pure protocol, client/ and server/ never meet.
const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] })

export default [
  ...neostandard({ ts: true, ignores: ['dist/**', 'node_modules/**', 'bench/results/**'] }),
  {
    files: ['shared/**'],
    rules: restrict([
      { group: ['node:*', 'socket.io', 'socket.io-client', 'fastify', '@fastify/*', 'preact', 'preact/*', '@preact/*'], message: 'shared/ imports only typebox and itself.' },
      { group: ['../server/**', '../client/**', '../test/**'], message: 'shared/ imports only typebox and itself.' }
    ])
  },
  {
    files: ['client/**'],
    rules: restrict([{ group: ['**/server/**', 'node:*'], message: 'client/ never imports server/ or Node built-ins.' }])
  },
  {
    files: ['server/**'],
    rules: {
      ...restrict([{ group: ['**/client/**'], message: 'server/ never imports client/.' }]),
      'no-console': 'error'
    }
  }
]
