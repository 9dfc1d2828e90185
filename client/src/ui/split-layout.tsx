import type { ComponentChildren } from 'preact'

interface SplitLayoutProps {
  /** Names the sidebar landmark for screen readers, e.g. "Rooms". */
  sidebarLabel: string
  sidebar: ComponentChildren
  children: ComponentChildren
}

/** A sidebar (a list: rooms, watchlist) beside the main pane; stacked on narrow screens. */
export const SplitLayout = ({ sidebarLabel, sidebar, children }: SplitLayoutProps) => (
  <div class='split'>
    <aside class='split-sidebar' aria-label={sidebarLabel}>{sidebar}</aside>
    <div class='split-main'>{children}</div>
  </div>
)
