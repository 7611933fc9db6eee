package identity

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/kabinet/kabinet/shared/allowlist/ipcheck"
	"github.com/kabinet/kabinet/shared/email"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/moscow"
)

// IPAllowlist tells whether an organisation's IP allowlist admits an address (D6;
// ipcheck.Checker). An empty list admits every address.
type IPAllowlist interface {
	Allowed(ctx context.Context, orgID, ip string) (bool, error)
}

// IPAlerter is told of each login refused because of its address (D6).
type IPAlerter interface {
	LoginRefused(ctx context.Context, u User, login, ip string, at time.Time)
}

var errIPDenied = apperr.New(apperr.Forbidden, ipcheck.Denied)

// checkIP refuses u's login from ip when the organisation's allowlist does not admit it. It
// runs once the password or code is verified, so strangers learn nothing of the list; the
// refusal is audited and the organisation's superusers are alerted. A failing check refuses.
func (s *Service) checkIP(ctx context.Context, u User, login, ip string) error {
	if s.Allowlist == nil {
		return nil
	}
	ok, err := s.Allowlist.Allowed(ctx, u.OrgID, ip)
	if err != nil {
		return fmt.Errorf("ip allowlist: %w", err)
	}
	if ok {
		return nil
	}
	slog.WarnContext(ctx, "login refused: address outside the organisation's IP allowlist", "userId", u.ID, "orgId", u.OrgID, "ip", ip)
	s.audit(ctx, AuditEntry{OrgID: u.OrgID, Action: "login_denied_ip", Target: u.ID, IP: ip, Detail: login})
	if s.IPAlerts != nil {
		s.IPAlerts.LoginRefused(ctx, u, login, ip, s.now())
	}
	return errIPDenied
}

// Mailer queues e-mail (email.Outbox).
type Mailer interface {
	Send(ctx context.Context, m email.Message) error
}

// MailIPAlerts e-mails an organisation's superusers when a login from an address outside its
// allowlist is refused. One alert per user, address and hour: the message id repeats within
// the hour, and the e-mail consumer sends an id once.
type MailIPAlerts struct {
	Superusers func(ctx context.Context, orgID string) ([]User, error)
	Mail       Mailer
}

// LoginRefused queues the alert; failures are logged (the login is refused either way).
func (a *MailIPAlerts) LoginRefused(ctx context.Context, u User, login, ip string, at time.Time) {
	users, err := a.Superusers(ctx, u.OrgID)
	if err != nil {
		slog.ErrorContext(ctx, "unknown-IP alert not sent: superusers not read", "orgId", u.OrgID, "error", err.Error())
		return
	}
	var to []string
	seen := map[string]bool{}
	for _, su := range users {
		if su.Email != "" && !seen[su.Email] && len(to) < email.MaxRecipients {
			seen[su.Email] = true
			to = append(to, su.Email)
		}
	}
	if len(to) == 0 {
		slog.WarnContext(ctx, "unknown-IP alert not sent: the organisation's superusers have no e-mail", "orgId", u.OrgID)
		return
	}
	text := fmt.Sprintf("Здравствуйте!\n\n"+
		"%s была попытка входа в личный кабинет под логином %s с IP-адреса %s, которого нет в белом списке IP вашей организации.\n\n"+
		"Пароль или код был введён верно, но вход не выполнен: в доступе отказано. Если это были вы или ваш сотрудник, "+
		"добавьте адрес в белый список (раздел «Проверка IP»). Если нет, смените пароль этого пользователя.\n",
		at.In(moscow.Zone).Format("02.01.2006 в 15:04:05 МСК"), login, ip)
	m := email.Message{
		ID: fmt.Sprintf("login-ip-alert-%s-%s-%d", u.ID, ip, at.Unix()/3600), To: to,
		Subject: "Попытка входа с незнакомого IP-адреса " + ip, Text: text, Purpose: "login-ip-alert",
	}
	if err := a.Mail.Send(ctx, m); err != nil {
		slog.ErrorContext(ctx, "unknown-IP alert not queued", "orgId", u.OrgID, "error", err.Error())
	}
}
