// Okabe–Ito: eight colours told apart with every common colour-vision deficiency, and in greyscale print
// by lightness where it matters (the heat map uses one hue, light to dark).
export const OKABE_ITO = {
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  green: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  purple: '#CC79A7',
  black: '#000000'
} as const

/** A share in [0, 1] as a shade from white to Okabe–Ito blue, and the text colour with the better contrast on it
 * (dark text up to about 85 %, where the fill's luminance crosses the midpoint of the two). */
export function heatShade(share: number): { readonly fill: string; readonly text: string } {
  const s = Math.max(0, Math.min(1, share))
  const mix = (to: number) => Math.round(255 + (to - 255) * s)
  const fill = `rgb(${mix(0x00)}, ${mix(0x72)}, ${mix(0xb2)})`
  return { fill, text: s > 0.85 ? '#ffffff' : '#1d232b' }
}
