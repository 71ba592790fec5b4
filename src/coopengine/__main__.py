from coopengine.cli.main import main

main()
