import { useMutation } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { useNavigate } from 'react-router-dom';
import * as authApi from '../../api/auth';
import { useSetSessionUser } from '../../auth/session';

/** Posts a Google credential to the API and starts the session. */
export function useGoogleSignIn(next: string) {
  const setUser = useSetSessionUser();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: authApi.google,
    onSuccess: (user) => {
      setUser(user);
      notifications.show({ color: 'teal', title: `Welcome, ${user.name}`, message: 'You are signed in with Google.' });
      navigate(next, { replace: true });
    },
  });
}
