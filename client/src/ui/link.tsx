import type { ComponentChildren, JSX } from 'preact'
import { navigate } from './router.ts'

type LinkProps = Omit<JSX.HTMLAttributes<HTMLAnchorElement>, 'href' | 'onClick'> & {
  href: string
  children: ComponentChildren
}

/** An in-app link: a real `<a href>` (open in new tab works) that navigates without reloading. */
export const Link = ({ href, children, ...rest }: LinkProps) => {
  const onClick = (event: MouseEvent) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
    event.preventDefault()
    navigate(href)
  }
  return <a {...rest} href={href} onClick={onClick}>{children}</a>
}
