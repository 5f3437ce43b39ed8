import { useEffect, useRef, useState } from 'react';
import { Box, Divider, Loader, Text } from '@mantine/core';

/** Minimal typing of Google Identity Services, the bits this component uses. */
interface GoogleIdentity {
  accounts: {
    id: {
      initialize(config: { client_id: string; callback: (response: { credential?: string }) => void; ux_mode?: 'popup' }): void;
      renderButton(parent: HTMLElement, options: Record<string, unknown>): void;
    };
  };
}

declare global {
  interface Window {
    google?: GoogleIdentity;
  }
}

const GSI_SRC = 'https://accounts.google.com/gsi/client';
let scriptPromise: Promise<GoogleIdentity> | null = null;

function loadGoogleIdentity(): Promise<GoogleIdentity> {
  if (window.google?.accounts?.id) return Promise.resolve(window.google);
  if (!scriptPromise) {
    scriptPromise = new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = GSI_SRC;
      script.async = true;
      script.defer = true;
      script.onload = () => (window.google ? resolve(window.google) : reject(new Error('Google sign-in did not load')));
      script.onerror = () => {
        scriptPromise = null;
        reject(new Error('Google sign-in could not be loaded'));
      };
      document.head.appendChild(script);
    });
  }
  return scriptPromise;
}

export function googleClientId(): string {
  return (import.meta.env.VITE_GOOGLE_CLIENT_ID ?? '').trim();
}

/**
 * "Continue with Google", rendered by Google Identity Services. Shown only when
 * VITE_GOOGLE_CLIENT_ID is set; the credential (an ID token) is handed to `onCredential`,
 * which posts it to /api/auth/google.
 */
export function GoogleSignInButton({ onCredential, text = 'continue_with' }: { onCredential: (idToken: string) => void; text?: 'signin_with' | 'signup_with' | 'continue_with' }) {
  const clientId = googleClientId();
  const container = useRef<HTMLDivElement>(null);
  const callback = useRef(onCredential);
  callback.current = onCredential;
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading');

  useEffect(() => {
    if (!clientId) return;
    let cancelled = false;
    loadGoogleIdentity()
      .then((google) => {
        if (cancelled || !container.current) return;
        google.accounts.id.initialize({
          client_id: clientId,
          ux_mode: 'popup',
          callback: (response) => {
            if (response.credential) callback.current(response.credential);
          },
        });
        google.accounts.id.renderButton(container.current, {
          type: 'standard',
          theme: 'outline',
          size: 'large',
          text,
          shape: 'rectangular',
          logo_alignment: 'center',
          width: Math.min(400, container.current.offsetWidth || 320),
        });
        setState('ready');
      })
      .catch(() => !cancelled && setState('failed'));
    return () => {
      cancelled = true;
    };
  }, [clientId, text]);

  if (!clientId) return null;

  return (
    <Box data-testid="google-sign-in">
      <Divider label="or" labelPosition="center" my="lg" />
      <Box ref={container} mih={44} style={{ display: 'flex', justifyContent: 'center' }} />
      {state === 'loading' && (
        <Box ta="center">
          <Loader size="sm" aria-label="Loading Google sign-in" />
        </Box>
      )}
      {state === 'failed' && (
        <Text size="sm" c="dimmed" ta="center">
          Google sign-in is unavailable right now. Use your email and password instead.
        </Text>
      )}
    </Box>
  );
}
