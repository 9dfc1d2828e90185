import type { JSX } from 'preact'

type IconProps = JSX.SVGAttributes<SVGSVGElement> & { size?: number }

// Decorative line icons (24-unit grid, currentColor). Each one is hidden from assistive tech:
// the text next to it carries the meaning.
const Icon = ({ size = 20, children, ...rest }: IconProps) => (
  <svg
    {...rest}
    width={size}
    height={size}
    viewBox='0 0 24 24'
    fill='none'
    stroke='currentColor'
    stroke-width='1.8'
    stroke-linecap='round'
    stroke-linejoin='round'
    aria-hidden='true'
    focusable='false'
  >
    {children}
  </svg>
)

export const ChatIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d='M4 6.5A2.5 2.5 0 0 1 6.5 4h11A2.5 2.5 0 0 1 20 6.5v7a2.5 2.5 0 0 1-2.5 2.5H10l-4.5 4v-4h0A2.5 2.5 0 0 1 4 13.5z' />
    <path d='M8.5 9h7M8.5 12h4.5' />
  </Icon>
)

export const ChartIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d='M4 19.5h16' />
    <path d='M5.5 15.5l4-4.5 3.5 3 5.5-6.5' />
    <path d='M15 7.5h3.5V11' />
  </Icon>
)

export const HashIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d='M9.5 4 7.5 20M16.5 4l-2 16M4.5 9h15M4 15h15' />
  </Icon>
)

export const ListIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d='M9 7h11M9 12h11M9 17h11' />
    <circle cx='4.75' cy='7' r='0.9' />
    <circle cx='4.75' cy='12' r='0.9' />
    <circle cx='4.75' cy='17' r='0.9' />
  </Icon>
)

export const CompassIcon = (props: IconProps) => (
  <Icon {...props}>
    <circle cx='12' cy='12' r='8.5' />
    <path d='m15.5 8.5-2 5-5 2 2-5z' />
  </Icon>
)

export const ChevronDownIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d='m7 10 5 5 5-5' />
  </Icon>
)

export const SignOutIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d='M14 4.5h3.5A2.5 2.5 0 0 1 20 7v10a2.5 2.5 0 0 1-2.5 2.5H14' />
    <path d='M10 8l-4 4 4 4M6 12h9' />
  </Icon>
)

export const AlertIcon = (props: IconProps) => (
  <Icon {...props}>
    <circle cx='12' cy='12' r='8.5' />
    <path d='M12 7.5v5.5M12 16.2v.3' />
  </Icon>
)

export const InfoIcon = (props: IconProps) => (
  <Icon {...props}>
    <circle cx='12' cy='12' r='8.5' />
    <path d='M12 11v5.5M12 7.8v.3' />
  </Icon>
)

export const EyeIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d='M2.5 12S6 5.5 12 5.5 21.5 12 21.5 12 18 18.5 12 18.5 2.5 12 2.5 12z' />
    <circle cx='12' cy='12' r='3' />
  </Icon>
)

export const EyeOffIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d='M9.9 5.8A9.7 9.7 0 0 1 12 5.5c6 0 9.5 6.5 9.5 6.5a17.6 17.6 0 0 1-2.7 3.6M6.6 6.9C3.9 8.7 2.5 12 2.5 12S6 18.5 12 18.5c1.8 0 3.3-.5 4.6-1.3' />
    <path d='M9.9 9.9a3 3 0 0 0 4.2 4.2M3.5 3.5l17 17' />
  </Icon>
)
