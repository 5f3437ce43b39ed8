import { Route, Routes } from 'react-router-dom';
import { GuestOnly, RequireAuth, RequireRole } from './auth/guards';
import { AppLayout } from './components/AppLayout';
import { PublicLayout } from './components/PublicLayout';
import { AccountPage } from './pages/account/AccountPage';
import { UsersPage } from './pages/admin/UsersPage';
import { ForgotPasswordPage } from './pages/auth/ForgotPasswordPage';
import { LoginPage } from './pages/auth/LoginPage';
import { ResetPasswordPage } from './pages/auth/ResetPasswordPage';
import { SignupPage } from './pages/auth/SignupPage';
import { NotFoundRoute } from './pages/errors/NotFoundPage';
import { HomePage } from './pages/home/HomePage';
import { LandingPage } from './pages/public/LandingPage';

export function AppRoutes() {
  return (
    <Routes>
      <Route element={<PublicLayout />}>
        <Route index element={<LandingPage />} />
        <Route element={<GuestOnly />}>
          <Route path="login" element={<LoginPage />} />
          <Route path="signup" element={<SignupPage />} />
        </Route>
        <Route path="forgot-password" element={<ForgotPasswordPage />} />
        <Route path="reset-password" element={<ResetPasswordPage />} />
      </Route>

      <Route element={<RequireAuth />}>
        <Route element={<AppLayout />}>
          <Route path="home" element={<HomePage />} />
          <Route path="account" element={<AccountPage />} />
          <Route path="admin" element={<RequireRole roles={['admin']} />}>
            <Route path="users" element={<UsersPage />} />
          </Route>
        </Route>
      </Route>

      <Route path="*" element={<NotFoundRoute />} />
    </Routes>
  );
}
