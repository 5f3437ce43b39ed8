import { Route, Routes } from 'react-router-dom';
import { GuestOnly, RequireAuth, RequireRole } from './auth/guards';
import { AppLayout } from './components/AppLayout';
import { PublicLayout } from './components/PublicLayout';
import { SiteLayout } from './components/SiteLayout';
import { AccountPage } from './pages/account/AccountPage';
import { AuditLogPage } from './pages/admin/AuditLogPage';
import { PaymentsAdminPage } from './pages/admin/PaymentsAdminPage';
import { UsersPage } from './pages/admin/UsersPage';
import { ForgotPasswordPage } from './pages/auth/ForgotPasswordPage';
import { LoginPage } from './pages/auth/LoginPage';
import { ResetPasswordPage } from './pages/auth/ResetPasswordPage';
import { SignupPage } from './pages/auth/SignupPage';
import { CatalogPage } from './pages/catalog/CatalogPage';
import { MyCertificatesPage } from './pages/certificates/MyCertificatesPage';
import { VerifyCertificatePage } from './pages/certificates/VerifyCertificatePage';
import { CoursePage } from './pages/course/CoursePage';
import { NotFoundRoute } from './pages/errors/NotFoundPage';
import { HomePage } from './pages/home/HomePage';
import { LearnCoursePage } from './pages/learn/LearnCoursePage';
import { MyCoursesPage } from './pages/learn/MyCoursesPage';
import { OrdersPage } from './pages/payments/OrdersPage';
import { LandingPage } from './pages/public/LandingPage';
import { CourseEditorPage } from './pages/studio/CourseEditorPage';
import { NewCoursePage } from './pages/studio/NewCoursePage';
import { STUDIO_ROLES } from './pages/studio/queries';
import { StudioPage } from './pages/studio/StudioPage';

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

      {/* Public pages that keep the app shell for signed-in people. */}
      <Route element={<SiteLayout />}>
        <Route path="courses" element={<CatalogPage />} />
        <Route path="courses/:ref" element={<CoursePage />} />
        <Route path="verify" element={<VerifyCertificatePage />} />
        <Route path="verify/:code" element={<VerifyCertificatePage />} />
      </Route>

      <Route element={<RequireAuth />}>
        <Route element={<AppLayout />}>
          <Route path="home" element={<HomePage />} />
          <Route path="learn" element={<MyCoursesPage />} />
          <Route path="learn/:ref/*" element={<LearnCoursePage />} />
          <Route path="certificates" element={<MyCertificatesPage />} />
          <Route path="account" element={<AccountPage />} />
          <Route path="orders" element={<OrdersPage />} />
          <Route path="admin" element={<RequireRole roles={['admin']} />}>
            <Route path="users" element={<UsersPage />} />
            <Route path="payments" element={<PaymentsAdminPage />} />
            <Route path="audit" element={<AuditLogPage />} />
          </Route>
          <Route path="studio" element={<RequireRole roles={STUDIO_ROLES} />}>
            <Route index element={<StudioPage />} />
            <Route path="courses/new" element={<NewCoursePage />} />
            <Route path="courses/:courseId" element={<CourseEditorPage />} />
          </Route>
        </Route>
      </Route>

      <Route path="*" element={<NotFoundRoute />} />
    </Routes>
  );
}
