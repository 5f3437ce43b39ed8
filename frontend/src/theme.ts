import { createTheme, type CSSVariablesResolver } from '@mantine/core';

/**
 * One theme for the whole SPA. Shades are chosen so text meets WCAG AA contrast on white:
 * filled buttons use shade 8 of the primary colour, "light" variants (badges, alerts) use
 * shade 9 for their text, and dimmed text is gray 7 rather than Mantine's lighter default.
 */
const SYSTEM_FONTS =
  "Inter, ui-sans-serif, system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', 'Noto Sans', Arial, sans-serif";

export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: { light: 8, dark: 8 },
  fontFamily: SYSTEM_FONTS,
  headings: {
    fontFamily: SYSTEM_FONTS,
    fontWeight: '700',
    sizes: {
      h1: { fontSize: '1.875rem', lineHeight: '1.25' },
      h2: { fontSize: '1.25rem', lineHeight: '1.35' },
      h3: { fontSize: '1.0625rem', lineHeight: '1.4' },
    },
  },
  defaultRadius: 'md',
  cursorType: 'pointer',
  respectReducedMotion: true,
  focusRing: 'auto',
  components: {
    Button: { defaultProps: { radius: 'md' } },
    Card: { defaultProps: { withBorder: true, radius: 'lg', padding: 'lg' } },
    Paper: { defaultProps: { radius: 'lg' } },
    TextInput: { defaultProps: { size: 'md' } },
    PasswordInput: { defaultProps: { size: 'md' } },
    Select: { defaultProps: { size: 'md' } },
    // Mantine's close buttons are icon-only: give them a name screen readers can announce.
    Notification: {
      defaultProps: { closeButtonProps: { 'aria-label': 'Dismiss notification' } },
      // Mantine's gray-6 description is 3.3:1 on white; gray-7 passes AA.
      styles: { description: { color: 'var(--mantine-color-gray-7)' } },
    },
    // A table that scrolls sideways on phones must be reachable by keyboard to be scrolled.
    TableScrollContainer: { defaultProps: { type: 'native', tabIndex: 0 } },
    Modal: { defaultProps: { closeButtonProps: { 'aria-label': 'Close dialog' } } },
    Drawer: { defaultProps: { closeButtonProps: { 'aria-label': 'Close panel' } } },
  },
});

const LIGHT_TEXT_COLORS = ['blue', 'teal', 'grape', 'indigo', 'red', 'green', 'orange', 'yellow', 'gray', 'cyan', 'violet'];

/**
 * Shade 9 of these palettes is still too light for small text on their own tinted background
 * (teal-9 on teal-light measures 4.2:1), so their light-variant text gets a darker tone.
 */
const DARKER_LIGHT_TEXT: Record<string, string> = {
  teal: '#076b4d',
  green: '#236f32',
  orange: '#b33a0c',
  yellow: '#8a5300',
};

export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
    '--mantine-color-body': '#ffffff',
    ...Object.fromEntries(LIGHT_TEXT_COLORS.map((c) => [`--mantine-color-${c}-light-color`, `var(--mantine-color-${c}-9)`])),
    ...Object.fromEntries(Object.entries(DARKER_LIGHT_TEXT).map(([c, hex]) => [`--mantine-color-${c}-light-color`, hex])),
  },
  dark: {},
});
