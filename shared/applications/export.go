package applications

import "context"

// eachPage is how many applications Each asks for per list page: few round trips for a long
// report (DynamoDB still stops a page at 1 MB).
const eachPage = 500

// Each calls fn with every application the caller may see (the role scope of List: A17)
// matching q, newest first, reading the list a page at a time; it stops at fn's first error
// and returns it. Reports over applications (A9) read them this way.
func (s *Service) Each(ctx context.Context, a Actor, q Query, fn func(Application) error) error {
	token := ""
	for {
		apps, next, err := s.List(ctx, a, q, token, eachPage)
		if err != nil {
			return err
		}
		for _, app := range apps {
			if err := fn(app); err != nil {
				return err
			}
		}
		if next == "" {
			return nil
		}
		token = next
	}
}
