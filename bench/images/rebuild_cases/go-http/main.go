// Command branchhours serves the opening hours of the branches as JSON.
package main

import (
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	"example.org/branchhours/hours"
)

const greeting = "branch hours v2"

func main() {
	if len(os.Args) > 1 && os.Args[1] == "-selftest" {
		week := hours.Week(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
		out, _ := json.Marshal(week)
		fmt.Println(greeting, string(out))
		return
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, greeting)
	})
	http.HandleFunc("/week", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(hours.Week(time.Now()))
	})
	log.Fatal(http.ListenAndServe(":8080", nil))
}
