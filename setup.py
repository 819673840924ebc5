# Copyright MultiOS developers. Licensed under the Apache License, Version 2.0.
import setuptools

setuptools.setup(setup_requires=['pbr>=5.8'], pbr=True)
