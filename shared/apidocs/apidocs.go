// Package apidocs describes the back-office API as an OpenAPI 3 document (issue 5: seed 004's
// GET /api/swagger/{swaggerFile}). The document is generated from the route catalogue itself
// (every httpapi.Route of the Backoffice API: method, path, path parameters, authentication,
// allowed roles, example bodies), so a new route is documented without anyone editing a file.
//
// The package does not import shared/catalogue (which imports every domain, this one's wire
// included): the routes are handed in (see wire.Routes).
package apidocs

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

// Files are the names GET /api/swagger/{swaggerFile} serves: the OpenAPI document under its
// usual name and under the name Swagger tools ask for.
var Files = []string{"openapi.json", "swagger.json"}

var pathParam = regexp.MustCompile(`\{([^}/]+)\}`)

// statuses are the error answers of seed 004 ("Коды ошибок") and ours (409, 413, 422).
var statuses = map[string]string{
	"400": "Bad Request: невалидный запрос", "401": "Unauthorized: необходимо авторизоваться",
	"403": "Forbidden: недостаточно прав", "404": "Not Found: ресурс не найден",
	"405": "Method Not Allowed", "406": "Not Acceptable: неправильный формат запроса",
	"409": "Conflict: данные изменились с момента чтения", "413": "Payload Too Large",
	"422": "Unprocessable", "429": "Too Many Requests: слишком много запросов",
	"500": "Internal Server Error", "503": "Service Unavailable",
}

// Document builds the OpenAPI 3.0 document of the routes of api, in path and method order.
func Document(routes []httpapi.Route, api httpapi.API, version string) map[string]any {
	paths := map[string]map[string]any{}
	for _, r := range routes {
		if r.API != api {
			continue
		}
		if paths[r.Path] == nil {
			paths[r.Path] = map[string]any{}
		}
		paths[r.Path][strings.ToLower(r.Method)] = operation(r)
	}
	errResponses := map[string]any{}
	for code, text := range statuses {
		errResponses[code] = map[string]any{"description": text, "content": map[string]any{
			"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Error"}}}}
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{
			"title":       "РАДАР — API личного кабинета банка (" + string(api) + ")",
			"version":     version,
			"description": "Generated from the route catalogue. Errors are JSON: {\"error\":{\"code\",\"message\",\"fields\"},\"requestId\"}.",
		},
		"servers": []any{map[string]any{"url": "/"}},
		"paths":   paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{
				"session": map[string]any{"type": "apiKey", "in": "cookie", "name": "JSESSION",
					"description": "The session cookie POST /api/login sets."},
				"apiKey": map[string]any{"type": "apiKey", "in": "header", "name": "X-Authorization",
					"description": "The system API key. Alone it may only read (GET, HEAD)."},
				"userLkb": map[string]any{"type": "apiKey", "in": "header", "name": "User-LKB",
					"description": "The bank user a call with the system API key acts for; business operations need it."},
			},
			"schemas": map[string]any{
				"Error": map[string]any{"type": "object", "properties": map[string]any{
					"error": map[string]any{"type": "object", "properties": map[string]any{
						"code":    map[string]any{"type": "string"},
						"message": map[string]any{"type": "string"},
						"fields":  map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "string"}},
					}},
					"requestId": map[string]any{"type": "string"},
				}},
			},
			"responses": errResponses,
		},
	}
}

func operation(r httpapi.Route) map[string]any {
	domain, fn, _ := strings.Cut(r.Function, "/")
	op := map[string]any{
		"operationId": domain + "." + fn,
		"summary":     r.Function,
		"tags":        []string{domain},
	}
	var params []any
	for _, m := range pathParam.FindAllStringSubmatch(r.Path, -1) {
		params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
	}
	if r.Idempotent {
		params = append(params, map[string]any{"name": "Idempotency-Key", "in": "header", "required": false,
			"description": "1–100 visible ASCII characters: a retry gets the first response", "schema": map[string]any{"type": "string"}})
	}
	if params != nil {
		op["parameters"] = params
	}
	codes := []string{"400", "404", "405", "429", "500", "503"}
	switch r.Auth {
	case httpapi.Public:
		op["security"] = []any{}
	case httpapi.BackofficeID:
		withUser := map[string]any{"apiKey": []string{}, "userLkb": []string{}}
		sec := []any{map[string]any{"session": []string{}}, withUser}
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			sec = append(sec, map[string]any{"apiKey": []string{}})
		}
		op["security"] = sec
		codes = append(codes, "401", "403")
	default:
		codes = append(codes, "401", "403")
	}
	if len(r.Roles) > 0 {
		op["x-roles"] = r.Roles // the caller's active back-office role must be one of these
		op["description"] = "Active role: " + strings.Join(r.Roles, ", ") + " (1 Администратор, 2 Операционист, 3 Подписант, 4 Исполнитель)."
	}
	if r.Method == http.MethodPost || r.Method == http.MethodPut || r.Method == http.MethodPatch {
		codes = append(codes, "406", "409", "413")
		if body := requestBody(r); body != nil {
			op["requestBody"] = body
		}
	}
	responses := map[string]any{"200": map[string]any{"description": "OK"}}
	slices.Sort(codes)
	for _, c := range slices.Compact(codes) {
		responses[c] = map[string]any{"$ref": "#/components/responses/" + c}
	}
	op["responses"] = responses
	return op
}

// requestBody describes a route's body from its Example: JSON, or a form when it reads like one.
func requestBody(r httpapi.Route) map[string]any {
	if r.Example == "" {
		return nil
	}
	var v any
	if err := json.Unmarshal([]byte(r.Example), &v); err == nil {
		return map[string]any{"content": map[string]any{"application/json": map[string]any{"example": v}}}
	}
	return map[string]any{"content": map[string]any{"application/x-www-form-urlencoded": map[string]any{"example": r.Example}}}
}

// HTTP serves the document.
type HTTP struct {
	doc func() ([]byte, error)
}

// New serves the document of api over the routes source gives, built once on first use.
func New(source func() []httpapi.Route, api httpapi.API, version string) *HTTP {
	return &HTTP{doc: sync.OnceValues(func() ([]byte, error) {
		return json.Marshal(Document(source(), api, version))
	})}
}

// File handles GET /api/swagger/{swaggerFile}: the OpenAPI document for the names of Files,
// 404 for any other.
func (h *HTTP) File(w http.ResponseWriter, r *http.Request) error {
	if !slices.Contains(Files, r.PathValue("swaggerFile")) {
		return apperr.New(apperr.NotFound, "no such file: openapi.json or swagger.json")
	}
	b, err := h.doc()
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
	return nil
}
