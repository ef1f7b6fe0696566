try:
    from dlint.entry import main

    main()
except KeyboardInterrupt:  # Ctrl-C while starting, before dlint.entry handles it: no traceback either
    import sys

    sys.stderr.write("Aborted!\n")
    sys.exit(130)
