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

export const BellIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d='M6 16.5V11a6 6 0 0 1 12 0v5.5l1.5 2H4.5z' />
    <path d='M10 20.5a2.2 2.2 0 0 0 4 0' />
  </Icon>
)

export const BellOffIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d='M8.2 5.9A6 6 0 0 1 18 11v4M6 11v5.5l-1.5 2h13' />
    <path d='M10 20.5a2.2 2.2 0 0 0 4 0M3.5 3.5l17 17' />
  </Icon>
)

export const AtSignIcon = (props: IconProps) => (
  <Icon {...props}>
    <circle cx='12' cy='12' r='3.5' />
    <path d='M15.5 12v1.5a2.5 2.5 0 0 0 5 0V12a8.5 8.5 0 1 0-3.4 6.8' />
  </Icon>
)

export const MailIcon = (props: IconProps) => (
  <Icon {...props}>
    <rect x='3.5' y='5.5' width='17' height='13' rx='2.5' />
    <path d='m4.5 7 7.5 6 7.5-6' />
  </Icon>
)

export const UserPlusIcon = (props: IconProps) => (
  <Icon {...props}>
    <circle cx='10' cy='8.5' r='3.5' />
    <path d='M3.5 19.5a6.5 6.5 0 0 1 11.4-4.3M18.5 14v6M15.5 17h6' />
  </Icon>
)

export const TrendIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d='m3.5 16.5 6-6 4 4 7-7.5' />
    <path d='M15 7h5.5v5.5' />
  </Icon>
)

export const CheckAllIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d='m2.5 12.5 4.5 4.5 9-10M12 16l1 1 9-10' />
  </Icon>
)

export const CloseIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d='M6.5 6.5l11 11M17.5 6.5l-11 11' />
  </Icon>
)

export const ExternalLinkIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d='M13.5 4.5h6v6M19.5 4.5l-8 8' />
    <path d='M17.5 14v3.5a2 2 0 0 1-2 2h-9a2 2 0 0 1-2-2v-9a2 2 0 0 1 2-2H10' />
  </Icon>
)

export const StarIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d='m12 4 2.4 5 5.4.7-4 3.8 1 5.4-4.8-2.6-4.8 2.6 1-5.4-4-3.8 5.4-.7z' />
  </Icon>
)

export const ArrowLeftIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d='M19.5 12h-15M10.5 6l-6 6 6 6' />
  </Icon>
)

export const SearchIcon = (props: IconProps) => (
  <Icon {...props}>
    <circle cx='11' cy='11' r='6.5' />
    <path d='m16 16 4.5 4.5' />
  </Icon>
)

export const TrashIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d='M4.5 7h15M9.5 7V5h5v2M6.5 7l1 12.5h9l1-12.5M10.5 10.5v6M13.5 10.5v6' />
  </Icon>
)

/** Two stacked chevrons; CSS dims the one that is not the current sort direction. */
export const SortIcon = (props: IconProps) => (
  <Icon {...props}>
    <path class='sort-up' d='m8 10 4-4 4 4' />
    <path class='sort-down' d='m8 14 4 4 4-4' />
  </Icon>
)

export const PlusIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d='M12 5v14M5 12h14' />
  </Icon>
)

export const LockIcon = (props: IconProps) => (
  <Icon {...props}>
    <rect x='5' y='10.5' width='14' height='9.5' rx='2.5' />
    <path d='M8.5 10.5V8a3.5 3.5 0 0 1 7 0v2.5' />
  </Icon>
)

export const MoreIcon = (props: IconProps) => (
  <Icon {...props}>
    <circle cx='6' cy='12' r='1.2' />
    <circle cx='12' cy='12' r='1.2' />
    <circle cx='18' cy='12' r='1.2' />
  </Icon>
)

export const PencilIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d='M4.5 19.5 5.3 15.7 15.6 5.4a2 2 0 0 1 2.9 0l.1.1a2 2 0 0 1 0 2.9L8.3 18.7z' />
    <path d='m13.8 7.2 3 3' />
  </Icon>
)

export const SendIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d='M5 12 4 4.5 20 12 4 19.5z' />
    <path d='M5 12h7' />
  </Icon>
)

export const SmileIcon = (props: IconProps) => (
  <Icon {...props}>
    <circle cx='12' cy='12' r='8.5' />
    <path d='M8.5 14a4.2 4.2 0 0 0 7 0' />
    <path d='M9.5 9.5h0M14.5 9.5h0' stroke-width='2.4' />
  </Icon>
)

export const UsersIcon = (props: IconProps) => (
  <Icon {...props}>
    <circle cx='9' cy='8.5' r='3.2' />
    <path d='M3.5 19a5.5 5.5 0 0 1 11 0' />
    <path d='M15.5 5.6a3.2 3.2 0 0 1 0 5.8M17.5 14.2a5.5 5.5 0 0 1 3 4.8' />
  </Icon>
)

export const ArrowDownIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d='M12 4.5v15M6 13.5l6 6 6-6' />
  </Icon>
)

export const ArrowUpIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d='M12 19.5v-15M6 10.5l6-6 6 6' />
  </Icon>
)

export const RetryIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d='M19.5 12a7.5 7.5 0 1 1-2.2-5.3' />
    <path d='M19.5 4.5v4h-4' />
  </Icon>
)

export const ClockIcon = (props: IconProps) => (
  <Icon {...props}>
    <circle cx='12' cy='12' r='8.5' />
    <path d='M12 7.5V12l3 2' />
  </Icon>
)

export const ImageIcon = (props: IconProps) => (
  <Icon {...props}>
    <rect x='3.5' y='4.5' width='17' height='15' rx='2' />
    <circle cx='9' cy='10' r='1.6' />
    <path d='m20.5 16-4.5-4.5-8 8' />
  </Icon>
)
