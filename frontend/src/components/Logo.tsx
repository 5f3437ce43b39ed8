import { Group, Text } from '@mantine/core';

/** The product mark and name. Decorative mark; the name is the accessible text. */
export function Logo({ size = 'lg' }: { size?: 'md' | 'lg' }) {
  const box = size === 'lg' ? 30 : 24;
  return (
    <Group gap={8} wrap="nowrap">
      <svg width={box} height={box} viewBox="0 0 32 32" aria-hidden focusable="false">
        <rect width="32" height="32" rx="8" fill="var(--mantine-color-indigo-8)" />
        <path d="M9 9h8.5a5.5 5.5 0 0 1 0 11H13v3.5H9z M13 12.5v4h4.3a2 2 0 0 0 0-4z" fill="#fff" fillRule="evenodd" />
      </svg>
      <Text component="span" fw={800} fz={size === 'lg' ? 20 : 17} c="dark.8" style={{ letterSpacing: '-0.01em' }}>
        Pathshala
      </Text>
    </Group>
  );
}
