from dlint.cli import main

main(prog_name="dlint")
