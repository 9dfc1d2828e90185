import { useComputed, type ReadonlySignal } from '@preact/signals'
import { hasMovement, sparklineArea, sparklinePoints, sparklineTrend, type SparklineBox } from './sparkline.ts'

const BOX: SparklineBox = { width: 96, height: 28 }

/**
 * A small inline SVG of the recent prices. Its attributes are bound to signals, so a new point
 * updates two attributes and nothing re-renders. Decorative: the numbers beside it say it all.
 */
export const SparklineChart = ({ history, box = BOX }: { history: ReadonlySignal<readonly number[]>, box?: SparklineBox }) => {
  const line = useComputed(() => sparklinePoints(history.value, box))
  const area = useComputed(() => (hasMovement(history.value) ? sparklineArea(line.value, box) : ''))
  const trend = useComputed(() => sparklineTrend(history.value))
  return (
    <svg
      class='sparkline'
      data-trend={trend}
      width={box.width}
      height={box.height}
      viewBox={`0 0 ${box.width} ${box.height}`}
      preserveAspectRatio='none'
      aria-hidden='true'
      focusable='false'
    >
      <polygon class='sparkline-area' points={area} />
      <polyline class='sparkline-line' points={line} />
    </svg>
  )
}
