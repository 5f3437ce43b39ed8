import type { ReactNode } from 'react';
import { Card, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import type { Icon } from '@tabler/icons-react';

interface EmptyStateProps {
  icon: Icon;
  title: string;
  children?: ReactNode;
  /** Buttons or links that get the visitor moving again. */
  action?: ReactNode;
  /** Heading level of the title (the page's h1 usually sits above). */
  headingOrder?: 1 | 2 | 3;
  color?: string;
  testId?: string;
  /** Without a card around it (when already inside one). */
  bare?: boolean;
}

/** "Nothing here (yet)": what is missing, why, and what to do next. */
export function EmptyState({ icon: IconComponent, title, children, action, headingOrder = 2, color = 'indigo', testId, bare }: EmptyStateProps) {
  const body = (
    <Stack
      align="center"
      gap="xs"
      ta="center"
      py={{ base: 'lg', sm: 'xl' }}
      px={{ base: 0, xs: 'md' }}
      maw={520}
      w="100%"
      mx="auto"
      style={{ overflowWrap: 'anywhere' }}
      data-testid={testId}
    >
      <ThemeIcon size={56} radius="xl" variant="light" color={color} aria-hidden>
        <IconComponent size={28} stroke={1.6} />
      </ThemeIcon>
      <Title order={headingOrder} fz={headingOrder === 1 ? { base: 22, sm: 26 } : { base: 19, sm: 21 }} mt="xs">
        {title}
      </Title>
      {children && (
        <Text c="dimmed" size="sm" component="div">
          {children}
        </Text>
      )}
      {action && <Stack mt="sm" align="center" gap="xs">{action}</Stack>}
    </Stack>
  );
  return bare ? body : <Card>{body}</Card>;
}
