/**
 * Ant Design's theme, with secondary text dark enough to read (WCAG AA contrast on white), and no
 * animation for people whose system asks for reduced motion (WCAG 2.3.3).
 */
import type { ThemeConfig } from 'antd';

const reducedMotion = typeof window !== 'undefined' && window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;

export const THEME: ThemeConfig = {
  token: {
    motion: !reducedMotion,
    // Each colour carries white text and reads as text on white at AA contrast (4.5:1 or more).
    colorPrimary: '#1f5fbf',
    colorSuccess: '#2b7a0b',
    colorWarning: '#9a5b00',
    colorError: '#c0262d',
    colorInfo: '#1f5fbf',
    colorSuccessText: '#236b08',
    colorWarningText: '#7f4a00',
    colorErrorText: '#a61f25',
    colorInfoText: '#1a4f9e',
    colorTextSecondary: 'rgba(0, 0, 0, 0.65)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.6)',
    colorTextDescription: 'rgba(0, 0, 0, 0.65)',
    colorTextPlaceholder: '#707070',
    colorLink: '#1f5fbf',
    fontFamily:
      '-apple-system, BlinkMacSystemFont, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif',
  },
  components: {
    // Hovered and pressed buttons keep the contrast of the resting one.
    Button: { colorPrimaryHover: '#2a69c9', colorPrimaryActive: '#1a4f9e' },
  },
};
