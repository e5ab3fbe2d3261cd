// Outgoing mail: SMTP through nodemailer when SMTP_URL is set; otherwise the message is logged (development),
// so an invitation link is never lost.
import nodemailer from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  readonly transport: 'smtp' | 'log';
  send(message: MailMessage): Promise<void>;
}

export function createMailer(options: { smtpUrl?: string | undefined; from?: string; log?: (line: string) => void } = {}): Mailer {
  const from = options.from ?? 'Manifold <no-reply@manifold.local>';
  if (options.smtpUrl) {
    const transporter = nodemailer.createTransport(options.smtpUrl);
    return {
      transport: 'smtp',
      async send(message) {
        await transporter.sendMail({ from, ...message });
      },
    };
  }
  const log = options.log ?? ((line: string) => console.log(line));
  return {
    transport: 'log',
    async send(message) {
      log(
        JSON.stringify({
          level: 'info',
          msg: 'mail (SMTP_URL not set: logged, not sent)',
          to: message.to,
          subject: message.subject,
          text: message.text,
        }),
      );
    },
  };
}
