// Response headers of shared/SECURITY.md. The CSP allows scripts, styles and connections only
// from our own origin: no inline script or style, no eval (htmx 4 needs none unless hx-on or
// js: values are used, and we use neither), no framing.
import { secureHeaders } from "hono/secure-headers";

export function securityHeaders(opts: { https: boolean }) {
  return secureHeaders({
    // A handler that sets one of these headers keeps it: user files and avatars answer with
    // their own "default-src 'none'; sandbox" policy, stricter than the pages' one.
    overwrite: false,
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", "data:", "blob:"],
      mediaSrc: ["'self'", "blob:"],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      workerSrc: ["'self'"],
      manifestSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: "DENY",
    xContentTypeOptions: "nosniff",
    referrerPolicy: "same-origin",
    crossOriginOpenerPolicy: "same-origin",
    crossOriginResourcePolicy: "same-origin",
    // HSTS only means something over https; over plain http it would only mislead.
    strictTransportSecurity: opts.https ? "max-age=31536000" : false,
    permissionsPolicy: {
      camera: ["self"],
      microphone: ["self"],
      displayCapture: ["self"],
      geolocation: [],
      payment: [],
      usb: [],
    },
  });
}
