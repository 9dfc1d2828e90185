import type { ComponentChildren } from 'preact'

interface EmptyStateProps {
  icon: ComponentChildren
  title: ComponentChildren
  children: ComponentChildren
  /** The heading level: `h1` when the empty state is the page's main content. */
  level?: 'h1' | 'h2'
  actions?: ComponentChildren
}

/** A calm placeholder that says what will appear here. */
export const EmptyState = ({ icon, title, children, level = 'h1', actions }: EmptyStateProps) => {
  const Heading = level
  return (
    <section class='empty-state'>
      <div class='empty-state-icon'>{icon}</div>
      <Heading class='empty-state-title'>{title}</Heading>
      <p class='empty-state-text'>{children}</p>
      {actions ? <div class='empty-state-actions'>{actions}</div> : null}
    </section>
  )
}
