// Opening hours of the branches this week, as JSON.
const express = require("express");
const { format, addDays, startOfToday } = require("date-fns");
const _ = require("lodash");

const GREETING = "branch hours v2";

const branches = [
  { city: "Leipzig", open: "08:00", close: "18:00", closedOn: [0] },
  { city: "Dresden", open: "09:00", close: "19:00", closedOn: [0, 6] },
  { city: "Chemnitz", open: "09:00", close: "17:00", closedOn: [0, 6] },
];

function week(from) {
  return _.range(7).map((i) => {
    const day = addDays(from, i);
    return {
      date: format(day, "yyyy-MM-dd"),
      branches: branches
        .filter((b) => !b.closedOn.includes(day.getDay()))
        .map((b) => _.pick(b, ["city", "open", "close"])),
    };
  });
}

const app = express();
app.get("/", (req, res) => res.send(GREETING));
app.get("/week", (req, res) => res.json(week(startOfToday())));

if (process.argv.includes("--selftest")) {
  const days = week(new Date(2024, 0, 1));
  console.log(GREETING, JSON.stringify(days.map((d) => [d.date, d.branches.length])));
} else {
  app.listen(process.env.PORT || 3000);
}
