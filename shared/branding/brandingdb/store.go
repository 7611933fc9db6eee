// Package brandingdb keeps the back office's UI settings (shared/branding) in the identity
// table (IDENTITY_TABLE; keys pk/sk), under the bank's partition BANK, next to the BANK / BANK
// item that names the bank's organisation (shared/backoffice/backofficedb): the settings are
// the bank's, and every back-office function already reads that table.
//
// Items:
//   - BANK / UI#SETTINGS        colours and login-page texts: version (N, optimistic locking),
//     doc (S, JSON: colors, bankName, supportPhone, supportEmail), updatedAt, updatedBy.
//     Absent until the bank first saves (branding.DefaultSettings is served)
//   - BANK / UI#LOGO#<logo>     the current image of a logo (login, system, favicon): key (the
//     object in DocumentsBucket, ui/<logo>/<sha256>), contentType, etag, size, updatedAt,
//     updatedBy. Absent while the embedded default is in use
//
// Access patterns:
//   - settings read: GetItem BANK / UI#SETTINGS
//   - settings save: PutItem with "attribute_not_exists(pk)" for the first save (version 1)
//     or "#version = :previous" after that; a failed condition is branding.ErrStale (409)
//   - image read (every GET /api/logo/…): GetItem BANK / UI#LOGO#<logo>
//   - image change: PutItem BANK / UI#LOGO#<logo> (last writer wins: an image has no version;
//     the object it names is written before it)
//
// No Query on the BANK partition anywhere, no Scan.
package brandingdb

import (
	"context"
	"encoding/json"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/kabinet/kabinet/shared/branding"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
)

// Store implements branding.Store.
type Store struct {
	DB    *dynamodb.Client
	Table string
}

var _ branding.Store = (*Store)(nil)

// SettingsKey is the key of the settings item.
func SettingsKey() dynamo.Item {
	return dynamo.Item{"pk": dynamo.S("BANK"), "sk": dynamo.S("UI#SETTINGS")}
}

// ImageKey is the key of a logo's item.
func ImageKey(l branding.Logo) dynamo.Item {
	return dynamo.Item{"pk": dynamo.S("BANK"), "sk": dynamo.S("UI#LOGO#" + string(l))}
}

type doc struct {
	Colors       []branding.Color `json:"colors"`
	BankName     string           `json:"bankName"`
	SupportPhone string           `json:"supportPhone"`
	SupportEmail string           `json:"supportEmail"`
}

// Settings reads the settings item.
func (s *Store) Settings(ctx context.Context) (branding.Settings, bool, error) {
	out, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Table), Key: SettingsKey(), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return branding.Settings{}, false, dynamo.Wrap("branding settings", err)
	}
	if out.Item == nil {
		return branding.Settings{}, false, nil
	}
	it := dynamo.Item(out.Item)
	var d doc
	if err := json.Unmarshal([]byte(dynamo.GetS(it, "doc")), &d); err != nil {
		return branding.Settings{}, false, err
	}
	st := branding.Settings{Version: dynamo.GetN(it, "version"), Colors: d.Colors, BankName: d.BankName,
		SupportPhone: d.SupportPhone, SupportEmail: d.SupportEmail, UpdatedBy: dynamo.GetS(it, "updatedBy")}
	st.UpdatedAt, _ = time.Parse(time.RFC3339Nano, dynamo.GetS(it, "updatedAt"))
	return st, true, nil
}

// SaveSettings puts the settings item when the stored version is previous.
func (s *Store) SaveSettings(ctx context.Context, st branding.Settings, previous int64) error {
	raw, err := json.Marshal(doc{Colors: st.Colors, BankName: st.BankName, SupportPhone: st.SupportPhone, SupportEmail: st.SupportEmail})
	if err != nil {
		return err
	}
	it := SettingsKey()
	it["version"] = dynamo.N(st.Version)
	it["doc"] = dynamo.S(string(raw))
	it["updatedAt"] = dynamo.S(st.UpdatedAt.UTC().Format(time.RFC3339Nano))
	it["updatedBy"] = dynamo.S(st.UpdatedBy)
	in := &dynamodb.PutItemInput{TableName: aws.String(s.Table), Item: it}
	if previous == 0 {
		in.ConditionExpression = aws.String("attribute_not_exists(pk)")
	} else {
		in.ConditionExpression = aws.String("#version = :previous")
		in.ExpressionAttributeNames = map[string]string{"#version": "version"}
		in.ExpressionAttributeValues = dynamo.Item{":previous": dynamo.N(previous)}
	}
	if _, err := s.DB.PutItem(ctx, in); err != nil {
		if dynamo.IsConditionFailed(err) {
			return branding.ErrStale
		}
		return dynamo.Wrap("branding settings save", err)
	}
	return nil
}

// Image reads a logo's item.
func (s *Store) Image(ctx context.Context, l branding.Logo) (branding.Image, bool, error) {
	out, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Table), Key: ImageKey(l)})
	if err != nil {
		return branding.Image{}, false, dynamo.Wrap("branding image", err)
	}
	if out.Item == nil {
		return branding.Image{}, false, nil
	}
	it := dynamo.Item(out.Item)
	img := branding.Image{Logo: l, Key: dynamo.GetS(it, "key"), ContentType: dynamo.GetS(it, "contentType"),
		ETag: dynamo.GetS(it, "etag"), Size: dynamo.GetN(it, "size"), UpdatedBy: dynamo.GetS(it, "updatedBy")}
	img.UpdatedAt, _ = time.Parse(time.RFC3339Nano, dynamo.GetS(it, "updatedAt"))
	return img, true, nil
}

// SetImage puts a logo's item.
func (s *Store) SetImage(ctx context.Context, img branding.Image) error {
	it := ImageKey(img.Logo)
	it["key"] = dynamo.S(img.Key)
	it["contentType"] = dynamo.S(img.ContentType)
	it["etag"] = dynamo.S(img.ETag)
	it["size"] = dynamo.N(img.Size)
	it["updatedAt"] = dynamo.S(img.UpdatedAt.UTC().Format(time.RFC3339Nano))
	it["updatedBy"] = dynamo.S(img.UpdatedBy)
	if _, err := s.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(s.Table), Item: it}); err != nil {
		return dynamo.Wrap("branding image save", err)
	}
	return nil
}
