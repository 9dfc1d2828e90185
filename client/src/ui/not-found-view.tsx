import { EmptyState } from './empty-state.tsx'
import { CompassIcon } from './icons.tsx'
import { Link } from './link.tsx'
import { paths } from './router.ts'

export const NotFoundView = ({ path }: { path: string }) => (
  <div class='page-center'>
    <EmptyState
      icon={<CompassIcon size={28} />}
      title='Page not found'
      actions={<Link class='button primary' href={paths.chat}>Go to chat</Link>}
    >
      There is nothing at <code class='inline-code'>{path}</code>. It may have moved, or the link may be mistyped.
    </EmptyState>
  </div>
)
