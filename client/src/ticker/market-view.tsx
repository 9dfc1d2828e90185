import { EmptyState } from '../ui/empty-state.tsx'
import { ChartIcon, ListIcon } from '../ui/icons.tsx'
import { SidebarSection } from '../ui/sidebar-section.tsx'
import { SplitLayout } from '../ui/split-layout.tsx'

/** The market area: a watchlist beside quotes and charts. Filled in by the ticker feature. */
export const MarketView = () => (
  <SplitLayout
    sidebarLabel='Watchlist'
    sidebar={
      <SidebarSection title='Watchlist' icon={<ListIcon size={16} />}>
        <p class='sidebar-empty'>Symbols you follow will be listed here with their live price and daily change.</p>
      </SidebarSection>
    }
  >
    <EmptyState icon={<ChartIcon size={28} />} title='Market'>
      Live quotes for every simulated symbol, candle charts and your price alerts will appear here.
      Prices move several times a second.
    </EmptyState>
  </SplitLayout>
)
