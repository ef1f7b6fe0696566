module example.org/branchhours

go 1.19
