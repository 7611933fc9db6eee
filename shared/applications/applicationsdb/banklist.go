package applicationsdb

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kabinet/kabinet/shared/applications"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
)

// The bank's list and count over every organisation (seed 004 applicationList,
// applicationCount; indexes in bankindex.go, counters in bankcounts.go). No Scan: each
// filter picks the narrowest index as the driver, the other criteria are filter expressions
// on its projected attributes:
//
//   - an id: Query pk = APP#<id> AND sk = APP on the table (one item)
//   - an INN prefix: Query gsi6 begins_with(gsi6sk, inn), INN order
//   - a name prefix: Query gsi7 begins_with(gsi7sk, name), name order
//   - statuses: Query gsi5 per status (creation range as key condition), merged newest first
//   - otherwise: Query gsi4 per month that has applications (the month counters), newest
//     month first, the creation range as key condition
//
// A page walks the driver's index items (ScanIndexForward=false where by time), skips offset
// of those that match, takes limit and reads them with one BatchGetItem. Cost, eventually
// consistent, with index items of ~300 bytes: (offset+limit)/27 RCU of index reads for
// matching items, plus what the filter drops on the way, plus limit × ⌈item/4 KB⌉ / 2 RCU
// for the page (~0.5 RCU each). Offsets are capped by the service (MaxOffset). Without any
// filter the month counters skip whole months, so a deep offset reads one month's keys.
// A count with a filter is Select=COUNT over the same walk (index bytes / 8 KB RCU); with no
// filter, or statuses only, it sums the counters (O(months or statuses × shards) items).

// bankQuery is one Query of a driver, walked a page at a time.
type bankQuery struct {
	in    *dynamodb.QueryInput
	items []dynamo.Item
	done  bool
	skKey string // the attribute that orders it
	month string // gsi4's month
}

func (q *bankQuery) peek(ctx context.Context, db *dynamodb.Client) (dynamo.Item, error) {
	for len(q.items) == 0 && !q.done {
		out, err := db.Query(ctx, q.in)
		if err != nil {
			return nil, dynamo.Wrap("query bank applications", err)
		}
		q.items = out.Items
		q.in.ExclusiveStartKey = out.LastEvaluatedKey
		q.done = len(out.LastEvaluatedKey) == 0
	}
	if len(q.items) == 0 {
		return nil, nil
	}
	return q.items[0], nil
}

// bankPlan is the driver's queries: walked one after another (months), or merged by their
// sort keys, newest first (statuses).
type bankPlan struct {
	queries []*bankQuery
	merge   bool
}

// next returns the next matching index item, nil at the end.
func (p *bankPlan) next(ctx context.Context, db *dynamodb.Client) (dynamo.Item, error) {
	if !p.merge {
		for len(p.queries) > 0 {
			it, err := p.queries[0].peek(ctx, db)
			if err != nil || it != nil {
				if it != nil {
					p.queries[0].items = p.queries[0].items[1:]
				}
				return it, err
			}
			p.queries = p.queries[1:]
		}
		return nil, nil
	}
	var best *bankQuery
	var bestSK string
	for _, q := range p.queries {
		it, err := q.peek(ctx, db)
		if err != nil {
			return nil, err
		}
		if it != nil {
			if sk := dynamo.GetS(it, q.skKey); best == nil || sk > bestSK {
				best, bestSK = q, sk
			}
		}
	}
	if best == nil {
		return nil, nil
	}
	it := best.items[0]
	best.items = best.items[1:]
	return it, nil
}

// bankExpr collects a Query's expression names and values.
type bankExpr struct {
	names  map[string]string
	values dynamo.Item
	n      int
}

func (e *bankExpr) val(v types.AttributeValue) string {
	e.n++
	k := fmt.Sprintf(":v%d", e.n)
	e.values[k] = v
	return k
}

func (e *bankExpr) in(attr string, vals []string) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		parts[i] = e.val(dynamo.S(v))
	}
	return attr + " IN (" + strings.Join(parts, ", ") + ")"
}

func (e *bankExpr) rng(attr string, from, to time.Time) []string {
	var out []string
	if !from.IsZero() {
		out = append(out, attr+" >= "+e.val(dynamo.S(dynamo.Stamp(from))))
	}
	if !to.IsZero() {
		out = append(out, attr+" < "+e.val(dynamo.S(dynamo.Stamp(to))))
	}
	return out
}

// filters is the filter expression of f's criteria the driver does not cover.
func (e *bankExpr) filters(f applications.BankFilter, statuses, created bool) string {
	var c []string
	if statuses && len(f.Statuses) > 0 {
		e.names["#s"] = "status"
		c = append(c, e.in("#s", f.Statuses))
	}
	if created {
		c = append(c, e.rng("createdAt", f.CreatedFrom, f.CreatedTo)...)
	}
	c = append(c, e.rng("bkClosed", f.ClosedFrom, f.ClosedTo)...)
	if !f.LifeTo.IsZero() {
		c = append(c, "bkLife < "+e.val(dynamo.S(dynamo.Stamp(f.LifeTo))))
	}
	if len(f.Takers) > 0 {
		c = append(c, e.in("bkTaker", f.Takers))
	}
	if len(f.Signers) > 0 {
		var any []string
		for _, s := range f.Signers {
			any = append(any, "contains(bkSigners, "+e.val(dynamo.S(s))+")")
		}
		c = append(c, "("+strings.Join(any, " OR ")+")")
	}
	if len(f.Offices) > 0 {
		c = append(c, e.in("bkOffice", f.Offices))
	}
	switch f.Work {
	case 1:
		c = append(c, "attribute_exists(bkTaker)")
	case 2:
		c = append(c, "attribute_not_exists(bkTaker)")
	}
	return strings.Join(c, " AND ")
}

// bankPlanOf builds the driver of f; count makes its queries Select=COUNT.
func (s *Store) bankPlanOf(ctx context.Context, f applications.BankFilter, count bool) (*bankPlan, error) {
	query := func(index, skKey string, forward bool, keyCond string, e *bankExpr, filter string) *bankQuery {
		in := &dynamodb.QueryInput{TableName: aws.String(s.Table), KeyConditionExpression: aws.String(keyCond),
			ExpressionAttributeValues: e.values, ScanIndexForward: aws.Bool(forward)}
		if index != "" {
			in.IndexName = aws.String(index)
		}
		if len(e.names) > 0 {
			in.ExpressionAttributeNames = e.names
		}
		if filter != "" {
			in.FilterExpression = aws.String(filter)
		}
		if count {
			in.Select = types.SelectCount
		}
		return &bankQuery{in: in, skKey: skKey}
	}
	newExpr := func() *bankExpr { return &bankExpr{names: map[string]string{}, values: dynamo.Item{}} }
	// keyRange is the creation range as a key condition on a "<createdAt>#<id>" sort key.
	keyRange := func(e *bankExpr, sk string) string {
		from, to := dynamo.Stamp(f.CreatedFrom), dynamo.Stamp(f.CreatedTo)
		switch {
		case from != "" && to != "": // "<to>" sorts before every key at to itself
			return " AND " + sk + " BETWEEN " + e.val(dynamo.S(from)) + " AND " + e.val(dynamo.S(to))
		case from != "":
			return " AND " + sk + " >= " + e.val(dynamo.S(from))
		case to != "":
			return " AND " + sk + " < " + e.val(dynamo.S(to))
		}
		return ""
	}
	switch {
	case f.ID != "":
		e := newExpr()
		kc := "pk = " + e.val(dynamo.S("APP#"+f.ID)) + " AND sk = " + e.val(dynamo.S("APP"))
		return &bankPlan{queries: []*bankQuery{query("", "sk", true, kc, e, e.filters(f, true, true))}}, nil
	case f.INNPrefix != "":
		e := newExpr()
		kc := "gsi6pk = " + e.val(dynamo.S("BANKINN")) + " AND begins_with(gsi6sk, " + e.val(dynamo.S(f.INNPrefix)) + ")"
		return &bankPlan{queries: []*bankQuery{query(bankINNIndex, "gsi6sk", true, kc, e, e.filters(f, true, true))}}, nil
	case f.NamePrefix != "":
		e := newExpr()
		kc := "gsi7pk = " + e.val(dynamo.S("BANKNAME")) + " AND begins_with(gsi7sk, " + e.val(dynamo.S(nameKey(f.NamePrefix))) + ")"
		return &bankPlan{queries: []*bankQuery{query(bankNameIndex, "gsi7sk", true, kc, e, e.filters(f, true, true))}}, nil
	case len(f.Statuses) > 0:
		p := &bankPlan{merge: true}
		for _, st := range dedupe(f.Statuses) {
			e := newExpr()
			kc := "gsi5pk = " + e.val(dynamo.S("BANKSTATUS#"+st)) + keyRange(e, "gsi5sk")
			p.queries = append(p.queries, query(bankStatusIndex, "gsi5sk", false, kc, e, e.filters(f, false, false)))
		}
		return p, nil
	}
	months, err := s.bankCounts(ctx, "MONTH")
	if err != nil {
		return nil, err
	}
	p := &bankPlan{}
	for _, m := range bankMonths(months, f.CreatedFrom, f.CreatedTo) {
		e := newExpr()
		kc := "gsi4pk = " + e.val(dynamo.S("BANKAPPS#"+m)) + keyRange(e, "gsi4sk")
		q := query(bankAppsIndex, "gsi4sk", false, kc, e, e.filters(f, false, false))
		q.month = m
		p.queries = append(p.queries, q)
	}
	return p, nil
}

// bankMonths are the months with applications that overlap [from, to), newest first.
func bankMonths(counts map[string]int64, from, to time.Time) []string {
	var out []string
	for m, n := range counts {
		if n <= 0 {
			continue
		}
		if !from.IsZero() && m < from.UTC().Format("2006-01") {
			continue
		}
		if !to.IsZero() && m > to.UTC().Add(-time.Nanosecond).Format("2006-01") {
			continue
		}
		out = append(out, m)
	}
	slices.Sort(out)
	slices.Reverse(out)
	return out
}

// BankList returns the applications of every organisation matching f, skipping offset and
// taking at most limit: newest first, or in INN / name order for those searches.
func (s *Store) BankList(ctx context.Context, f applications.BankFilter, offset, limit int) ([]applications.Application, error) {
	p, err := s.bankPlanOf(ctx, f, false)
	if err != nil {
		return nil, err
	}
	if f.Empty() && offset > 0 { // skip whole months by their counters
		months, err := s.bankCounts(ctx, "MONTH")
		if err != nil {
			return nil, err
		}
		for len(p.queries) > 1 {
			if n := int(months[p.queries[0].month]); n <= offset {
				offset -= n
				p.queries = p.queries[1:]
				continue
			}
			break
		}
	}
	// Pages of about what the answer needs: a first page of 20 reads ~20 index items, not 1 MB.
	for _, q := range p.queries {
		q.in.Limit = aws.Int32(int32(min(max(offset+limit, 20), 1000)))
	}
	var ids []string
	for len(ids) < limit {
		it, err := p.next(ctx, s.DB)
		if err != nil {
			return nil, err
		}
		if it == nil {
			break
		}
		if offset > 0 {
			offset--
			continue
		}
		ids = append(ids, strings.TrimPrefix(dynamo.GetS(it, "pk"), "APP#"))
	}
	return s.batchGet(ctx, ids)
}

// BankCount counts the applications of every organisation matching f.
func (s *Store) BankCount(ctx context.Context, f applications.BankFilter) (int64, error) {
	if f.OnlyStatuses() {
		kind := "MONTH"
		if len(f.Statuses) > 0 {
			kind = "STATUS"
		}
		counts, err := s.bankCounts(ctx, kind)
		if err != nil {
			return 0, err
		}
		var n int64
		if kind == "MONTH" {
			for _, c := range counts {
				n += c
			}
			return n, nil
		}
		for _, st := range dedupe(f.Statuses) {
			n += counts[st]
		}
		return n, nil
	}
	p, err := s.bankPlanOf(ctx, f, true)
	if err != nil {
		return 0, err
	}
	var n int64
	for _, q := range p.queries {
		for {
			out, err := s.DB.Query(ctx, q.in)
			if err != nil {
				return 0, dynamo.Wrap("count bank applications", err)
			}
			n += int64(out.Count)
			if len(out.LastEvaluatedKey) == 0 {
				break
			}
			q.in.ExclusiveStartKey = out.LastEvaluatedKey
		}
	}
	return n, nil
}

// batchGet reads applications by id, in the order given (ones gone meanwhile are left out).
func (s *Store) batchGet(ctx context.Context, ids []string) ([]applications.Application, error) {
	byID := map[string]applications.Application{}
	for i := 0; i < len(ids); i += 100 {
		keys := make([]dynamo.Item, 0, 100)
		for _, id := range ids[i:min(i+100, len(ids))] {
			keys = append(keys, appKey(id))
		}
		req := map[string]types.KeysAndAttributes{s.Table: {Keys: keys}}
		for len(req) > 0 {
			out, err := s.DB.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: req})
			if err != nil {
				return nil, dynamo.Wrap("get bank applications", err)
			}
			for _, raw := range out.Responses[s.Table] {
				a, err := unmarshalApp(raw)
				if err != nil {
					return nil, err
				}
				byID[a.ID] = a
			}
			req = out.UnprocessedKeys
		}
	}
	out := make([]applications.Application, 0, len(ids))
	for _, id := range ids {
		if a, ok := byID[id]; ok {
			out = append(out, a)
		}
	}
	return out, nil
}
