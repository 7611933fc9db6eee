package onboarding

import (
	"net/http"

	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

// HTTP serves the registration endpoints of the client API.
type HTTP struct{ Service *Service }

// startRequest is the body of POST /v1/registrations.
type startRequest struct {
	Type     Kind   `json:"type"`
	Phone    string `json:"phone"`
	FullName string `json:"fullName"`
	Email    string `json:"email"`
	Consent  *bool  `json:"consent"`
}

// startedResponse answers start and resend.
type startedResponse struct {
	RegistrationID       string `json:"registrationId"`
	Phone                string `json:"phone"`
	Status               string `json:"status"`
	ResendAfterSeconds   int    `json:"resendAfterSeconds"`
	CodeExpiresInSeconds int    `json:"codeExpiresInSeconds"`
}

func toStarted(s Started) startedResponse {
	return startedResponse{RegistrationID: s.RegistrationID, Phone: s.Phone, Status: "code_sent",
		ResendAfterSeconds: int(s.ResendAfter.Seconds()), CodeExpiresInSeconds: int(s.CodeExpiresIn.Seconds())}
}

// Start handles POST /v1/registrations (A1): 202 with the registration id; the code goes by SMS.
func (h *HTTP) Start(w http.ResponseWriter, r *http.Request) error {
	var req startRequest
	if err := httpapi.Decode(w, r, &req, 0); err != nil {
		return err
	}
	res, err := h.Service.Start(r.Context(), StartInput{
		Kind: req.Type, Phone: req.Phone, FullName: req.FullName, Email: req.Email,
		Consent: req.Consent != nil && *req.Consent, IP: httpapi.ClientIP(r),
	})
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusAccepted, toStarted(res))
	return nil
}

// Resend handles POST /v1/registrations/{id}/resend: a new code, at most every 3 minutes.
func (h *HTTP) Resend(w http.ResponseWriter, r *http.Request) error {
	if r.ContentLength > 0 {
		var empty struct{}
		if err := httpapi.Decode(w, r, &empty, 1024); err != nil {
			return err
		}
	}
	res, err := h.Service.Resend(r.Context(), r.PathValue("id"), httpapi.ClientIP(r))
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusAccepted, toStarted(res))
	return nil
}

type confirmRequest struct {
	Code string `json:"code"`
}

func (c *confirmRequest) Validate() error {
	if c.Code == "" {
		return apperr.InvalidField("code", "required")
	}
	return nil
}

type accountResponse struct {
	UserID             string `json:"userId"`
	OrgID              string `json:"orgId"`
	Login              string `json:"login"`
	Status             string `json:"status"`
	MustChangePassword bool   `json:"mustChangePassword"`
}

// Confirm handles POST /v1/registrations/{id}/confirm: 201 with the new account.
func (h *HTTP) Confirm(w http.ResponseWriter, r *http.Request) error {
	var req confirmRequest
	if err := httpapi.Decode(w, r, &req, 1024); err != nil {
		return err
	}
	acc, err := h.Service.Confirm(r.Context(), r.PathValue("id"), req.Code)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusCreated, accountResponse{
		UserID: acc.UserID, OrgID: acc.OrgID, Login: acc.Login, Status: acc.Status, MustChangePassword: acc.MustChangePassword,
	})
	return nil
}
