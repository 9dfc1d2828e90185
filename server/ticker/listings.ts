import type { Listing } from '../../shared/ticker.ts'

/** A listed company and the parameters of its simulated price. */
export interface ListingSpec extends Listing {
  /** Starting price. */
  price: number
  /** Annual drift (mu) of the geometric Brownian motion, e.g. 0.08 for 8 % a year. */
  drift: number
  /** Annual volatility (sigma), e.g. 0.3 for 30 % a year. */
  volatility: number
}

const sector = (sectorName: string, rows: Array<[symbol: string, name: string, price: number, drift: number, volatility: number]>): ListingSpec[] =>
  rows.map(([symbol, name, price, drift, volatility]) => ({ symbol, name, sector: sectorName, price, drift, volatility }))

/**
 * The simulated exchange. Every company is invented; volatilities follow their sector's habits
 * (utilities calm, small biotechs wild) so the board looks alive without looking random.
 * Drifts keep the median growth (drift - volatility^2 / 2) at about -3 % a year or better: the clock is
 * accelerated (a simulated year passes in days), so a negative median growth would bleed the
 * volatile names to a cent within weeks of uptime.
 */
export const listings: readonly ListingSpec[] = [
  ...sector('Technology', [
    ['QLFX', 'Quillfox Software', 142.3, 0.1, 0.34],
    ['NBLM', 'Nimbleloom Cloud', 87.15, 0.12, 0.42],
    ['PKTL', 'Paperkite Labs', 23.4, 0.14, 0.55],
    ['BYTW', 'Bytewillow Systems', 311.8, 0.09, 0.3],
    ['ZPHR', 'Zephyrine Data', 56.25, 0.11, 0.4],
    ['CLDV', 'Cloudvane Networks', 12.9, 0.14, 0.58],
    ['TNKR', 'Tinkerlark Robotics', 198.4, 0.13, 0.46]
  ]),
  ...sector('Semiconductors', [
    ['SILQ', 'Siliquartz Fabrication', 402.1, 0.12, 0.44],
    ['WFRN', 'Wafernook Devices', 74.6, 0.1, 0.48],
    ['PHTB', 'Photonbarrow Micro', 129.35, 0.11, 0.52],
    ['GTWL', 'Gatewhistle Logic', 38.7, 0.1, 0.5],
    ['DPNT', 'Dopantry Semiconductor', 17.25, 0.16, 0.62],
    ['NNMW', 'Nanomarrow Chipworks', 865.4, 0.14, 0.4]
  ]),
  ...sector('Healthcare', [
    ['HLXB', 'Helixberry Therapeutics', 31.2, 0.33, 0.85],
    ['MDWL', 'Meadowell Health', 118.75, 0.07, 0.22],
    ['CRVB', 'Curvanta Biosciences', 8.45, 0.42, 0.95],
    ['PLSW', 'Pulsewright Medical', 64.3, 0.08, 0.28],
    ['VTRP', 'Vitaroon Pharma', 245.6, 0.06, 0.24],
    ['ENZL', 'Enzymoor Labs', 19.8, 0.21, 0.7],
    ['ORCD', 'Orchidline Diagnostics', 52.1, 0.06, 0.36]
  ]),
  ...sector('Energy', [
    ['SLWP', 'Solarwren Power', 27.4, 0.1, 0.5],
    ['TRPB', 'Tarpebble Petroleum', 61.85, 0.03, 0.32],
    ['WNKR', 'Windkestrel Renewables', 14.6, 0.13, 0.56],
    ['GYSF', 'Geyserfold Geothermal', 33.05, 0.07, 0.38],
    ['FLXH', 'Fluxion Hydrogen', 4.85, 0.38, 0.9],
    ['EMBH', 'Emberhollow Resources', 88.2, 0.02, 0.3]
  ]),
  ...sector('Financials', [
    ['LDGF', 'Ledgerfinch Bank', 48.9, 0.06, 0.22],
    ['CPWK', 'Copperwick Capital', 132.6, 0.08, 0.27],
    ['VLTB', 'Vaultbramble Insurance', 76.45, 0.05, 0.18],
    ['MNTL', 'Mintlantern Payments', 209.3, 0.11, 0.36],
    ['TLHK', 'Tallyhawk Trust', 41.75, 0.05, 0.2],
    // Two share classes of one company: symbols may contain a dot.
    ['QSH.A', 'Quarrystone Holdings Class A', 512.0, 0.07, 0.19],
    ['QSH.B', 'Quarrystone Holdings Class B', 34.15, 0.07, 0.21]
  ]),
  ...sector('Consumer', [
    ['CRMB', 'Crumbleton Bakeries', 22.35, 0.05, 0.24],
    ['SNKF', 'Sneakerfell Apparel', 95.6, 0.09, 0.38],
    ['PDWT', 'Puddlewick Toys', 11.4, 0.07, 0.45],
    ['GRCB', 'Grocerbee Markets', 57.2, 0.05, 0.17],
    ['BRWH', 'Brewhaven Beverages', 143.9, 0.06, 0.2],
    ['LMPL', 'Lamplighter Furnishings', 29.95, 0.04, 0.33],
    ['NDLG', 'Noodlegarth Kitchens', 18.65, 0.08, 0.4]
  ]),
  ...sector('Industrials', [
    ['GRDW', 'Girderwick Construction', 67.3, 0.06, 0.3],
    ['CGTH', 'Cogwheel & Thistle', 154.2, 0.07, 0.26],
    ['RLWF', 'Railwhistle Freight', 98.45, 0.05, 0.23],
    ['ARWN', 'Aerowyn Aviation', 221.7, 0.08, 0.35],
    ['FRGM', 'Forgemont Machinery', 45.1, 0.06, 0.29],
    ['DRNX', 'Dronexa Logistics', 9.8, 0.2, 0.68],
    ['CRNB', 'Cranebrook Industries', 73.55, 0.05, 0.25]
  ]),
  ...sector('Materials', [
    ['ALMX', 'Alumenox Metals', 39.4, 0.04, 0.34],
    ['CLYS', 'Claystead Ceramics', 26.7, 0.03, 0.27],
    ['PLYM', 'Polymarrow Chemicals', 112.85, 0.05, 0.29],
    ['TMBQ', 'Timberquill Forest Products', 51.3, 0.04, 0.26],
    ['GLSW', 'Glasswhorl Works', 15.2, 0.04, 0.37],
    ['LTMR', 'Lithmoor Mining', 7.65, 0.23, 0.72]
  ]),
  ...sector('Utilities', [
    ['BKMW', 'Brookmere Water', 44.8, 0.04, 0.14],
    ['GRDL', 'Gridlark Electric', 71.25, 0.04, 0.16],
    ['HRTG', 'Hearthglow Gas', 36.9, 0.03, 0.18],
    ['TDWP', 'Tidewell Power', 58.4, 0.05, 0.2],
    ['PYLF', 'Pylonfield Utilities', 92.15, 0.04, 0.13],
    ['AQVL', 'Aquavale Holdings', 24.05, 0.03, 0.15]
  ]),
  ...sector('Media & Telecom', [
    ['SGNM', 'Signalmoss Telecom', 33.6, 0.04, 0.24],
    ['FRQZ', 'Frequenza Networks', 81.2, 0.06, 0.31],
    ['PXWF', 'Pixelwharf Studios', 127.45, 0.08, 0.44],
    ['EQML', 'Echoquill Media', 21.3, 0.05, 0.39],
    ['SPCB', 'Sparrowcast Broadcasting', 13.75, 0.06, 0.42],
    ['ANMB', 'Antennary Mobile', 66.9, 0.07, 0.28]
  ])
]
