/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Prefix for API calls; '' (default) means same origin. */
  readonly VITE_API_BASE_URL?: string;
  /** Google OAuth client id; the Google button is shown only when set. */
  readonly VITE_GOOGLE_CLIENT_ID?: string;
  readonly VITE_RAZORPAY_KEY_ID?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
