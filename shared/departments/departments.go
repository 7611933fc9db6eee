// Package departments is the directory of regions, cities and bank offices (A12): agent
// systems read it on the partner API (GET /api/voz/departments/get, seed 000) to fill the
// idCity and idOffice of an application; the bank edits it on the back-office API. It is
// small and read-mostly, so it is one document with a version for optimistic locking; until
// the bank first saves it, reads give the default directory (Default), so no provisioning
// step is needed.
package departments

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/kabinet/kabinet/shared/platform/apperr"
)

// Office is a bank office of a city; its id is the seed's idOffice.
type Office struct {
	ID           string `json:"idOffice"`
	Name         string `json:"name"`
	Address      string `json:"address"`
	WorkingHours string `json:"workingHours,omitempty"`
	Phone        string `json:"phone,omitempty"`
}

// City is a city of a region; its id is the seed's idCity.
type City struct {
	ID      string   `json:"idCity"`
	Name    string   `json:"name"`
	Offices []Office `json:"offices"`
}

// Region is a region with its cities.
type Region struct {
	ID     string `json:"idRegion"`
	Name   string `json:"name"`
	Cities []City `json:"cities"`
}

// Directory is the whole directory. Version is 0 for the default one, which was never saved.
type Directory struct {
	Version   int64
	Regions   []Region
	UpdatedAt time.Time
	UpdatedBy string
}

// Store keeps the directory.
type Store interface {
	// Get returns the saved directory, or ok false when none was ever saved.
	Get(ctx context.Context) (d Directory, ok bool, err error)
	// Put saves d with version d.Version when the saved one has version d.Version-1 (none
	// saved when that is 0); otherwise an apperr.Conflict.
	Put(ctx context.Context, d Directory) error
}

// Limits of the directory.
const (
	maxIDLen   = 64
	maxTextLen = 500
	maxRegions = 200
	maxCities  = 2000
	maxOffices = 5000
)

// Validate checks names non-empty, ids unique within their kind, and sizes.
func Validate(regions []Region) error {
	f := apperr.Fields{}
	f.Check(len(regions) > 0, "regions", "at least one region is required")
	f.Check(len(regions) <= maxRegions, "regions", fmt.Sprintf("at most %d regions", maxRegions))
	seen := map[string]map[string]bool{"region": {}, "city": {}, "office": {}}
	id := func(kind, path, v string) {
		v = strings.TrimSpace(v)
		switch {
		case v == "":
			f.Add(path, "must not be empty")
		case len(v) > maxIDLen:
			f.Add(path, fmt.Sprintf("at most %d characters", maxIDLen))
		case seen[kind][v]:
			f.Add(path, "duplicate "+kind+" id "+v)
		}
		seen[kind][v] = true
	}
	text := func(path, v string, required bool) {
		if required && strings.TrimSpace(v) == "" {
			f.Add(path, "must not be empty")
		}
		f.Check(len(v) <= maxTextLen, path, fmt.Sprintf("at most %d characters", maxTextLen))
	}
	cities, offices := 0, 0
	for i, r := range regions {
		p := fmt.Sprintf("regions[%d]", i)
		id("region", p+".idRegion", r.ID)
		text(p+".name", r.Name, true)
		for j, c := range r.Cities {
			cities++
			q := fmt.Sprintf("%s.cities[%d]", p, j)
			id("city", q+".idCity", c.ID)
			text(q+".name", c.Name, true)
			for k, o := range c.Offices {
				offices++
				s := fmt.Sprintf("%s.offices[%d]", q, k)
				id("office", s+".idOffice", o.ID)
				text(s+".name", o.Name, true)
				text(s+".address", o.Address, true)
				text(s+".workingHours", o.WorkingHours, false)
				text(s+".phone", o.Phone, false)
			}
		}
	}
	f.Check(cities <= maxCities, "regions", fmt.Sprintf("at most %d cities", maxCities))
	f.Check(offices <= maxOffices, "regions", fmt.Sprintf("at most %d offices", maxOffices))
	return f.Err()
}

// Service reads and edits the directory.
type Service struct {
	Store Store
	Now   func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Get returns the saved directory, or the default one (version 0) when none was saved.
func (s *Service) Get(ctx context.Context) (Directory, error) {
	d, ok, err := s.Store.Get(ctx)
	if err != nil {
		return Directory{}, err
	}
	if !ok {
		return Directory{Regions: Default()}, nil
	}
	return d, nil
}

// Replace saves regions as the whole directory when version is the current one (0 while
// the default is in use): 409 otherwise. It returns the saved directory.
func (s *Service) Replace(ctx context.Context, userID string, version int64, regions []Region) (Directory, error) {
	if err := Validate(regions); err != nil {
		return Directory{}, err
	}
	if version < 0 {
		return Directory{}, apperr.InvalidField("version", "must not be negative")
	}
	d := Directory{Version: version + 1, Regions: regions, UpdatedAt: s.now().UTC(), UpdatedBy: userID}
	if err := s.Store.Put(ctx, d); err != nil {
		return Directory{}, err
	}
	return d, nil
}

// Locate finds a city by its id and, when officeID is given, one of its offices; with only
// officeID it finds the office in whichever city has it.
func (d Directory) Locate(cityID, officeID string) (City, Office, bool) {
	for _, r := range d.Regions {
		for _, c := range r.Cities {
			if cityID != "" && c.ID != cityID {
				continue
			}
			if officeID == "" {
				return c, Office{}, cityID != ""
			}
			for _, o := range c.Offices {
				if o.ID == officeID {
					return c, o, true
				}
			}
		}
	}
	return City{}, Office{}, false
}
