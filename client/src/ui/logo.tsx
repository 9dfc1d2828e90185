/** The Hubbub mark: a speech bubble full of chatter. Decorative; the name is always next to it. */
export const Logo = ({ size = 28 }: { size?: number }) => (
  <svg class='logo' width={size} height={size} viewBox='0 0 32 32' aria-hidden='true' focusable='false'>
    <rect width='32' height='32' rx='9' class='logo-tile' />
    <path class='logo-bubble' d='M9 9.5h14a3 3 0 0 1 3 3v6.5a3 3 0 0 1-3 3h-6.2L12 25.5v-3.5H9a3 3 0 0 1-3-3v-6.5a3 3 0 0 1 3-3z' />
    <circle class='logo-dot' cx='11.5' cy='15.75' r='1.6' />
    <circle class='logo-dot' cx='16' cy='15.75' r='1.6' />
    <circle class='logo-dot' cx='20.5' cy='15.75' r='1.6' />
  </svg>
)
