from dlint.entry import main

main()
