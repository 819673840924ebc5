import sys

from multios_dashboard import demo

sys.exit(demo.main())
