import { Badge, Button, Card, CopyButton, Group, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconArrowRight, IconCertificate, IconCheck, IconDownload, IconLink, IconShieldCheck } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { certificatePdfUrl, useMyCertificates, verifyPageUrl, type MyCertificate } from '../../api/certificates';
import { EmptyState } from '../../components/EmptyState';
import { QueryError } from '../../components/QueryError';
import { usePageTitle } from '../../components/usePageTitle';
import { CERTIFICATE_STATUS, formatIssueDate } from './certificateFormat';

function CertificateCard({ certificate }: { certificate: MyCertificate }) {
  const status = CERTIFICATE_STATUS[certificate.status];
  const headingId = `certificate-${certificate.code}`;
  const standing = certificate.status === 'valid';
  return (
    <Card component="article" aria-labelledby={headingId} data-testid="certificate">
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
        <IconCertificate size={32} color="var(--mantine-color-indigo-7)" aria-hidden style={{ flexShrink: 0 }} />
        <Badge variant="light" color={status.color}>
          {status.label}
        </Badge>
      </Group>
      <Title order={2} fz={18} mt="sm" id={headingId} style={{ overflowWrap: 'anywhere' }}>
        {certificate.course_title}
      </Title>
      <Text size="sm" c="dimmed" mt={4}>
        Taught by {certificate.instructor_name} · Issued {formatIssueDate(certificate.issued_at)}
      </Text>
      <Text size="sm" mt="sm" ff="monospace" fw={600} data-testid="certificate-code">
        {certificate.code}
      </Text>
      {certificate.revoked_at && (
        <Text size="sm" c="red.8" mt={4}>
          Revoked on {formatIssueDate(certificate.revoked_at)}.
        </Text>
      )}
      <Group gap="xs" mt="md">
        {standing && (
          <Button component="a" href={certificatePdfUrl(certificate.code)} size="xs" leftSection={<IconDownload size={14} aria-hidden />}>
            Download PDF
          </Button>
        )}
        <Button component={Link} to={`/verify/${certificate.code}`} size="xs" variant="default" leftSection={<IconShieldCheck size={14} aria-hidden />}>
          Verification page
        </Button>
        {standing && (
          <CopyButton value={verifyPageUrl(certificate.code)}>
            {({ copied, copy }) => (
              <Button size="xs" variant="subtle" onClick={copy} leftSection={copied ? <IconCheck size={14} aria-hidden /> : <IconLink size={14} aria-hidden />}>
                {copied ? 'Link copied' : 'Copy link'}
              </Button>
            )}
          </CopyButton>
        )}
      </Group>
    </Card>
  );
}

/** /certificates: what the student has earned, to download and share. */
export function MyCertificatesPage() {
  usePageTitle('My certificates');
  const query = useMyCertificates();
  const items = query.data ?? [];
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>My certificates</Title>
        <Text c="dimmed" mt={6}>
          Finish every lesson of a course to earn its certificate. Anyone can check one with its code.
        </Text>
      </div>
      {query.isPending ? (
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg" aria-busy="true" aria-label="Loading your certificates">
          {[0, 1].map((i) => (
            <Skeleton key={i} height={190} radius="lg" />
          ))}
        </SimpleGrid>
      ) : query.isError ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} title="Couldn't load your certificates" />
      ) : items.length === 0 ? (
        <EmptyState
          icon={IconCertificate}
          title="No certificates yet"
          testId="certificates-empty"
          action={
            <Button component={Link} to="/learn" rightSection={<IconArrowRight size={16} aria-hidden />}>
              Go to my courses
            </Button>
          }
        >
          Complete a course and its certificate appears here, ready to download and share.
        </EmptyState>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg" data-testid="certificates">
          {items.map((certificate) => (
            <CertificateCard key={certificate.code} certificate={certificate} />
          ))}
        </SimpleGrid>
      )}
    </Stack>
  );
}
