import { Box, Group, List, PasswordInput, Progress, Text, VisuallyHidden, type PasswordInputProps } from '@mantine/core';
import { IconCheck, IconMinus } from '@tabler/icons-react';
import { passwordStrength } from './passwordStrength';

/** A new-password field with a live strength hint announced to screen readers. */
export function PasswordWithStrength(props: PasswordInputProps & { value: string }) {
  const strength = passwordStrength(props.value ?? '');
  return (
    <Box>
      <PasswordInput autoComplete="new-password" {...props} />
      <Box mt={8}>
        <Group justify="space-between" gap="xs" mb={4}>
          <Progress
            value={props.value ? strength.score : 0}
            color={strength.color}
            size="sm"
            radius="xl"
            flex={1}
            aria-hidden
          />
          <Text size="xs" fw={600} c="dimmed" aria-live="polite" miw={90} ta="right">
            {props.value ? `Strength: ${strength.label}` : 'Strength: —'}
          </Text>
        </Group>
        <List size="xs" spacing={2} c="dimmed" listStyleType="none">
          {strength.checks.map((check) => (
            <List.Item
              key={check.label}
              icon={
                check.met ? (
                  <IconCheck size={14} color="var(--mantine-color-green-9)" aria-hidden />
                ) : (
                  <IconMinus size={14} color="var(--mantine-color-gray-6)" aria-hidden />
                )
              }
            >
              <VisuallyHidden>{check.met ? 'Done: ' : 'Not yet: '}</VisuallyHidden>
              {check.label}
            </List.Item>
          ))}
        </List>
      </Box>
    </Box>
  );
}
