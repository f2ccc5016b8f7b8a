; Bring the paycheck home and the dictionary to the office.
(define (problem get-paid)
  (:domain briefcase)
  (:objects home office - location P D - physob)
  (:init (at B home) (at P home) (at D home) (in P))
  (:goal (and (at B office) (at D office) (at P home)
              (not (in P)) (imply (in D) (at D office)))))
