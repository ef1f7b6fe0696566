// Package hours knows when each branch is open.
package hours

import "time"

type Branch struct {
	City  string `json:"city"`
	Open  string `json:"open"`
	Close string `json:"close"`
}

type Day struct {
	Date     string   `json:"date"`
	Branches []Branch `json:"branches"`
}

var branches = []struct {
	Branch
	closedOn []time.Weekday
}{
	{Branch{"Leipzig", "08:00", "18:00"}, []time.Weekday{time.Sunday}},
	{Branch{"Dresden", "09:00", "19:00"}, []time.Weekday{time.Saturday, time.Sunday}},
}

// Week lists the branches open on each of the seven days from the given one.
func Week(from time.Time) []Day {
	days := make([]Day, 0, 7)
	for i := 0; i < 7; i++ {
		d := from.AddDate(0, 0, i)
		day := Day{Date: d.Format("2006-01-02")}
		for _, b := range branches {
			open := true
			for _, c := range b.closedOn {
				if d.Weekday() == c {
					open = false
				}
			}
			if open {
				day.Branches = append(day.Branches, b.Branch)
			}
		}
		days = append(days, day)
	}
	return days
}
