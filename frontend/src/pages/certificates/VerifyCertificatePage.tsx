import { useState } from 'react';
import { Alert, Badge, Button, Card, Group, Modal, Skeleton, Stack, Text, TextInput, Textarea, ThemeIcon, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconDownload, IconSearch, IconShieldCheck, IconShieldX } from '@tabler/icons-react';
import { useNavigate, useParams } from 'react-router-dom';
import { CERTIFICATE_CODE_HINT, certificatePdfUrl, useRevokeCertificate, useVerification, type CertificateVerification } from '../../api/certificates';
import { isApiError } from '../../api/client';
import { useSession } from '../../auth/session';
import { describeError } from '../../components/formErrors';
import { usePageTitle } from '../../components/usePageTitle';
import { CERTIFICATE_STATUS, formatIssueDate, tidyCode } from './certificateFormat';

function CodeForm({ initial = '' }: { initial?: string }) {
  const navigate = useNavigate();
  const [code, setCode] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      noValidate
      aria-label="Verify a certificate"
      onSubmit={(event) => {
        event.preventDefault();
        const tidy = tidyCode(code);
        if (!tidy) {
          setError('Enter the code printed on the certificate.');
          return;
        }
        setError(null);
        navigate(`/verify/${encodeURIComponent(tidy)}`);
      }}
    >
      <Group align="flex-start" gap="sm" wrap="wrap">
        <TextInput
          label="Certificate code"
          placeholder={CERTIFICATE_CODE_HINT}
          value={code}
          onChange={(event) => setCode(event.currentTarget.value)}
          error={error}
          autoCapitalize="characters"
          autoComplete="off"
          spellCheck={false}
          style={{ flex: '1 1 220px' }}
          maxLength={40}
        />
        <Button type="submit" mt={{ base: 0, xs: 25 }} leftSection={<IconSearch size={16} aria-hidden />}>
          Verify
        </Button>
      </Group>
    </form>
  );
}

function Fact({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <div style={{ minWidth: 0 }}>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: '0.03em' }}>
        {label}
      </Text>
      <Text fw={600} data-testid={testId} style={{ overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </div>
  );
}

function RevokeButton({ code }: { code: string }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const revoke = useRevokeCertificate(code);
  const close = () => !revoke.isPending && setOpen(false);
  return (
    <>
      <Button color="red" variant="light" leftSection={<IconShieldX size={16} aria-hidden />} onClick={() => setOpen(true)}>
        Revoke certificate
      </Button>
      <Modal opened={open} onClose={close} title="Revoke certificate" centered>
        <form
          noValidate
          aria-label="Revoke certificate"
          onSubmit={(event) => {
            event.preventDefault();
            const trimmed = reason.trim();
            if (trimmed.length < 3) {
              setError('Say why, in a few words: it goes into the audit log.');
              return;
            }
            setError(null);
            revoke.mutate(trimmed, {
              onSuccess: () => {
                notifications.show({ color: 'teal', title: 'Certificate revoked', message: `${code} now shows as revoked.` });
                setOpen(false);
              },
              onError: (caught) => setError(describeError(caught)),
            });
          }}
        >
          <Stack gap="md">
            <Text size="sm">Anyone checking {code} will see it as revoked from now on. This cannot be undone.</Text>
            <Textarea label="Reason" required autosize minRows={2} maxRows={5} maxLength={500} value={reason} onChange={(event) => setReason(event.currentTarget.value)} error={error} data-autofocus />
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={close} disabled={revoke.isPending}>
                Cancel
              </Button>
              <Button type="submit" color="red" loading={revoke.isPending}>
                Revoke
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}

function Verdict({ certificate }: { certificate: CertificateVerification }) {
  if (certificate.status === 'valid') {
    return (
      <Group gap="sm" wrap="nowrap">
        <ThemeIcon color="teal" size={44} radius="xl" variant="light">
          <IconShieldCheck size={26} aria-hidden />
        </ThemeIcon>
        <div>
          <Title order={2} fz={20} c="teal.9">
            Valid certificate
          </Title>
          <Text size="sm" c="dimmed">
            Issued by Pathshala and unchanged since.
          </Text>
        </div>
      </Group>
    );
  }
  return (
    <Group gap="sm" wrap="nowrap">
      <ThemeIcon color="red" size={44} radius="xl" variant="light">
        <IconAlertTriangle size={26} aria-hidden />
      </ThemeIcon>
      <div>
        <Title order={2} fz={20} c="red.9">
          {certificate.status === 'revoked' ? 'This certificate was revoked' : 'This certificate is not valid'}
        </Title>
        <Text size="sm" c="dimmed">
          {certificate.status === 'revoked' && certificate.revoked_at
            ? `Revoked on ${formatIssueDate(certificate.revoked_at)}. It no longer certifies this course.`
            : "Its record does not match the seal taken when it was issued, so it can't be trusted."}
        </Text>
      </div>
    </Group>
  );
}

function VerificationResult({ code }: { code: string }) {
  const query = useVerification(code);
  const { user } = useSession();
  if (query.isPending) {
    return (
      <Card aria-busy="true" aria-label="Checking the certificate">
        <Skeleton height={44} width="60%" />
        <Skeleton height={14} mt="lg" width="80%" />
        <Skeleton height={14} mt="sm" width="70%" />
      </Card>
    );
  }
  if (query.isError) {
    const status = isApiError(query.error) ? query.error.status : 0;
    const title = status === 404 ? 'No certificate has this code' : status === 400 ? "That isn't a certificate code" : "Couldn't check this certificate";
    const detail =
      status === 404
        ? 'Check the code on the certificate (it looks like ' + CERTIFICATE_CODE_HINT + ') and try again.'
        : status === 400
          ? `Certificate codes look like ${CERTIFICATE_CODE_HINT}.`
          : describeError(query.error);
    return (
      <Alert color={status === 404 || status === 400 ? 'yellow' : 'red'} variant="light" title={title} icon={<IconAlertTriangle size={20} aria-hidden />} data-testid="verify-error">
        {detail}
        {status !== 404 && status !== 400 && (
          <Button size="xs" variant="white" mt="sm" onClick={() => void query.refetch()}>
            Try again
          </Button>
        )}
      </Alert>
    );
  }
  const certificate = query.data;
  const status = CERTIFICATE_STATUS[certificate.status];
  return (
    <Card data-testid="verification" data-status={certificate.status}>
      <Stack gap="lg">
        <Group justify="space-between" align="flex-start" gap="sm">
          <Verdict certificate={certificate} />
          <Badge size="lg" variant="light" color={status.color} data-testid="verification-status">
            {status.label}
          </Badge>
        </Group>
        <Stack gap="md">
          <Fact label="Awarded to" testId="verification-student">
            {certificate.student_name}
          </Fact>
          <Fact label="Course">{certificate.course_title}</Fact>
          <Fact label="Instructor">{certificate.instructor_name}</Fact>
          <Group gap="xl" style={{ rowGap: 'var(--mantine-spacing-md)' }}>
            <Fact label="Issued on">{formatIssueDate(certificate.issued_at)}</Fact>
            <Fact label="Certificate ID">
              <span style={{ fontFamily: 'var(--mantine-font-family-monospace)' }}>{certificate.code}</span>
            </Fact>
          </Group>
        </Stack>
        <Group gap="sm">
          {certificate.status === 'valid' && (
            <Button component="a" href={certificatePdfUrl(certificate.code)} variant="default" leftSection={<IconDownload size={16} aria-hidden />}>
              Download PDF
            </Button>
          )}
          {user?.role === 'admin' && certificate.status === 'valid' && <RevokeButton code={certificate.code} />}
        </Group>
      </Stack>
    </Card>
  );
}

/** /verify and /verify/<code>: anyone checks a certificate by its code. */
export function VerifyCertificatePage() {
  const { code = '' } = useParams();
  usePageTitle(code ? `Certificate ${code}` : 'Verify a certificate');
  return (
    <Stack gap="lg" maw={720} mx="auto" w="100%">
      <div>
        <Title order={1}>Verify a certificate</Title>
        <Text c="dimmed" mt={6}>
          Every Pathshala certificate has a code. Enter it to see who earned it, for which course, and whether it still stands.
        </Text>
      </div>
      {code && <VerificationResult key={code} code={code} />}
      <Card>
        <CodeForm key={code} />
      </Card>
    </Stack>
  );
}
