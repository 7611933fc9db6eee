package checks

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/kabinet/kabinet/shared/backoffice"
	"github.com/kabinet/kabinet/shared/backoffice/boauth"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/review"
)

// HTTP serves the checks on the back-office API (seed 004 paths under /api).
type HTTP struct{ Service *Service }

// MaxBody is the largest body of the checks' POSTs (a comment of 2000 characters fits).
const MaxBody = 16 << 10

// XLSXType is the report's media type.
const XLSXType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

func caller(r *http.Request) (review.Caller, error) {
	p, err := boauth.CurrentUser(r)
	if err != nil {
		return review.Caller{}, err
	}
	return review.Caller{UserID: p.Subject, Role: backoffice.ActiveRoleOf(p.Roles)}, nil
}

// MarkJSON is a manual result or a comment: who (userId, userFio) and when (datetime).
type MarkJSON struct {
	ID       string    `json:"id,omitempty"`      // a comment's id
	Content  string    `json:"content,omitempty"` // a comment's text
	Result   string    `json:"result,omitempty"`  // a manual result: passed / failed
	UserID   string    `json:"userId"`
	UserFio  string    `json:"userFio"`
	Datetime time.Time `json:"datetime"`
}

func markOf(m Mark) MarkJSON {
	out := MarkJSON{UserID: m.By, UserFio: m.ByName, Datetime: m.At}
	if m.Comment {
		out.ID, out.Content = m.ID, m.Content
	} else {
		out.Result = m.Result
	}
	return out
}

// CheckJSON is one check of a run: id is the {checktype} of the URLs.
type CheckJSON struct {
	ID           string     `json:"id"`
	Type         string     `json:"type"`    // «Тип Проверки»
	Passed       bool       `json:"passed"`  // «Прошла»
	Message      string     `json:"message"` // «Сообщение»
	ManualResult *MarkJSON  `json:"manualResult"`
	Comments     []MarkJSON `json:"comments"`
}

func checkOf(c Check) CheckJSON {
	out := CheckJSON{ID: c.ID, Type: c.Type, Passed: c.Passed, Message: c.Message, Comments: make([]MarkJSON, len(c.Comments))}
	if c.Manual != nil {
		m := markOf(*c.Manual)
		out.ManualResult = &m
	}
	for i, m := range c.Comments {
		out.Comments[i] = markOf(m)
	}
	return out
}

// RunJSON is one check run: executetime is the {executetime} of the URLs.
type RunJSON struct {
	ExecuteTime string      `json:"executetime"`
	Kind        string      `json:"kind"`
	JobID       string      `json:"jobId"`
	OK          bool        `json:"ok"`      // the ABS's success key
	Comment     string      `json:"comment"` // its comment
	Failure     string      `json:"failure,omitempty"`
	Checks      []CheckJSON `json:"checks"`
}

// RunsJSON is runs as GET /api/check/{applicationid} and the application's view show them.
func RunsJSON(runs []Run) []RunJSON {
	out := make([]RunJSON, len(runs))
	for i, run := range runs {
		out[i] = RunJSON{ExecuteTime: run.ExecuteTime, Kind: string(run.Kind), JobID: run.JobID, OK: run.OK, Comment: run.Comment,
			Failure: run.Failure, Checks: make([]CheckJSON, len(run.Checks))}
		for j, c := range run.Checks {
			out[i].Checks[j] = checkOf(c)
		}
	}
	return out
}

// CheckRuns gives the runs of an application the caller has read, in JSON, for the bank's
// view of the application (GET /api/application/{applicationid}/: banklist.Checks).
func (s *Service) CheckRuns(ctx context.Context, applicationID string) (any, error) {
	runs, err := s.runs(ctx, applicationID)
	if err != nil {
		return nil, err
	}
	return RunsJSON(runs), nil
}

// List handles GET /api/check/{applicationid} (ours): {"applicationid", "runs": [run…]},
// newest run first.
func (h *HTTP) List(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("applicationid")
	runs, err := h.Service.List(r.Context(), id)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"applicationid": id, "runs": RunsJSON(runs)})
	return nil
}

// SetResult handles POST /api/check/{applicationid}/{executetime}/{checktype}/result
// (setResult): {"result": "passed"|"failed"|"1"|"0", "id"}; answers the check.
func (h *HTTP) SetResult(w http.ResponseWriter, r *http.Request) error {
	c, err := caller(r)
	if err != nil {
		return err
	}
	var in ResultInput
	if err := httpapi.Decode(w, r, &in, MaxBody); err != nil {
		return err
	}
	ch, err := h.Service.SetResult(r.Context(), c, r.PathValue("applicationid"), r.PathValue("executetime"), r.PathValue("checktype"), in)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, checkOf(ch))
	return nil
}

// AddComment handles POST /api/check/{applicationid}/{executetime}/{checktype}/comment
// (addComment; the seed's {abstractid}): {"content"}; answers the check.
func (h *HTTP) AddComment(w http.ResponseWriter, r *http.Request) error {
	c, err := caller(r)
	if err != nil {
		return err
	}
	var in CommentInput
	if err := httpapi.Decode(w, r, &in, MaxBody); err != nil {
		return err
	}
	ch, err := h.Service.AddComment(r.Context(), c, r.PathValue("applicationid"), r.PathValue("executetime"), r.PathValue("checktype"), in)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, checkOf(ch))
	return nil
}

// Report handles GET /api/check/{applicationid}/{executetime}/{checktype}/report
// (generateReport; the seed's {abstractid}/{executetime}/{checkobjecttype}): the XLSX file.
func (h *HTTP) Report(w http.ResponseWriter, r *http.Request) error {
	raw, name, err := h.Service.Report(r.Context(), r.PathValue("applicationid"), r.PathValue("executetime"), r.PathValue("checktype"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", XLSXType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(raw)))
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(raw)
	return nil
}

// Recheck handles POST /api/application/{applicationid}/recheck/ (recheckApplication): the
// optional body {"id", "type"}; answers {"applicationid", "initialCheck", "absPending",
// "executetime"} of the run just queued.
func (h *HTTP) Recheck(w http.ResponseWriter, r *http.Request) error {
	c, err := caller(r)
	if err != nil {
		return err
	}
	var in RecheckInput
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		return apperr.Newf(apperr.TooLarge, "the body exceeds %d bytes", MaxBody)
	}
	if len(bytes.TrimSpace(b)) > 0 {
		r.Body = io.NopCloser(bytes.NewReader(b))
		if err := httpapi.Decode(w, r, &in, MaxBody); err != nil {
			return err
		}
	}
	a, run, err := h.Service.Recheck(r.Context(), c, r.PathValue("applicationid"), in)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"applicationid": a.ID, "initialCheck": a.Bank.InitialCheck,
		"absPending": a.Bank.ABSPending, "executetime": run})
	return nil
}
