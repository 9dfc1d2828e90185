import type { ComponentChildren } from 'preact'

interface SidebarSectionProps {
  title: string
  icon: ComponentChildren
  children: ComponentChildren
}

/** A titled block of the sidebar. */
export const SidebarSection = ({ title, icon, children }: SidebarSectionProps) => (
  <section class='sidebar-section'>
    <h2 class='sidebar-title'>
      {icon}
      <span>{title}</span>
    </h2>
    {children}
  </section>
)
